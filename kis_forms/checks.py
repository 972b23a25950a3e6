"""System checks that name the wiring a host site must add for enquiries, with the fix."""

from django.conf import settings
from django.core import checks
from django_tasks import task_backends

from kis_pages.checks import missing_apps

REQUIRED_APPS = {
    "wagtail.contrib.forms": "the form builder of the enquiry form page",
    "django_tasks_db": "the queue of enquiry e-mails and its worker `manage.py kis_worker`",
}
CSRF_FAILURE_VIEW = "kis_forms.intake.csrf_failure.csrf_failure"
TASKS_HINT = (
    'Set TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}} and run '
    "`manage.py kis_worker` beside the web server."
)


@checks.register(checks.Tags.compatibility)
def check_required_apps(app_configs, **kwargs):
    return missing_apps(REQUIRED_APPS, "kis_forms.E001")


@checks.register(checks.Tags.compatibility)
def check_task_backend(app_configs, **kwargs):
    """Enquiry e-mails are queued on the default task backend; it must really send them.

    Backends are told by class name: on Django 6 they may come from django.tasks, not from
    the django_tasks backport.
    """
    backend = task_backends["default"]
    if type(backend).__name__ == "DummyBackend":
        return [
            checks.Error(
                "The default task backend is the dummy one: enquiry e-mails are never sent.",
                hint=TASKS_HINT,
                id="kis_forms.E002",
            )
        ]
    if type(backend).__name__ == "ImmediateBackend":
        return [
            checks.Warning(
                "The default task backend sends enquiry e-mails inside the resident's request: "
                "a slow mail server holds the resident up, and a failed e-mail is not retried.",
                hint=TASKS_HINT,
                id="kis_forms.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_csrf_failure_view(app_configs, **kwargs):
    """A resident whose form's security check expired must get the form back, filled in."""
    if getattr(settings, "CSRF_FAILURE_VIEW", "") == CSRF_FAILURE_VIEW:
        return []
    return [
        checks.Warning(
            "A resident whose enquiry form's security check expired gets Django's refusal page "
            "in English, and loses what they typed.",
            hint=f'Set CSRF_FAILURE_VIEW = "{CSRF_FAILURE_VIEW}": it shows the form again, '
            "filled in, and passes any other refused post to a plain Polish page.",
            id="kis_forms.W002",
        )
    ]
