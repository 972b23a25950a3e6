# wagtail-kis: the two apps and what they build on.
INSTALLED_APPS += [  # noqa: F821
    "kis_pages",
    "kis_forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.api.v3",
    "django_tasks",
    "django_tasks_db",
]
# Enquiry e-mails leave from a task worker (`manage.py kis_worker`), never in the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Residents read the club pages in Polish.
LANGUAGE_CODE = "pl"
TIME_ZONE = "Europe/Warsaw"
# A resident whose form's security check expired gets the form back, filled in.
CSRF_FAILURE_VIEW = "kis_forms.intake.csrf_failure.csrf_failure"
