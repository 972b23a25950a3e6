"""A host site that leaves out a piece of the plugin's wiring is told by `manage.py check`,
with the fix; the example site's own settings pass every check."""

import pytest
from django.apps import apps
from django.core import checks
from django.test import override_settings

from kis_site.settings import base


def messages(tags=None):
    """The ids and hints of what the system checks report for our apps."""
    reported = checks.run_checks(tags=tags)
    return {m.id: m.hint for m in reported if m.id and m.id.startswith(("kis_pages", "kis_forms"))}


def test_the_example_site_passes_every_check_of_the_plugin():
    with override_settings(TASKS=base.TASKS):  # the tests' own run tasks at once
        assert messages() == {}


@pytest.mark.parametrize(
    ("app", "check_id"),
    [
        ("wagtail.contrib.settings", "kis_pages.E001"),
        ("wagtail.contrib.routable_page", "kis_pages.E001"),
        ("wagtail.contrib.forms", "kis_forms.E001"),
        ("django_tasks_db", "kis_forms.E001"),
    ],
)
def test_a_missing_app_is_named_with_the_line_that_adds_it(app, check_id, monkeypatch):
    is_installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != app and is_installed(name))
    reported = messages()
    assert reported[check_id] == f'Add "{app}" to INSTALLED_APPS.'


def test_a_headless_preview_front_end_without_its_app_is_a_warning(settings, monkeypatch):
    settings.WAGTAIL_HEADLESS_PREVIEW = {"CLIENT_URLS": {"default": "https://www.kis.example"}}
    assert "kis_pages.W002" not in messages()
    is_installed = apps.is_installed
    package = "wagtail_headless_preview"
    monkeypatch.setattr(apps, "is_installed", lambda name: name != package and is_installed(name))
    assert messages()["kis_pages.W002"] == f'Add "{package}" to INSTALLED_APPS.'


def without_app_directories():
    backend = {**base.TEMPLATES[0], "APP_DIRS": False}
    return [backend]


def test_templates_that_cannot_find_the_theme_are_an_error():
    with override_settings(TEMPLATES=without_app_directories()):
        reported = messages()
    assert '"APP_DIRS": True' in reported["kis_pages.E002"]


def test_templates_without_the_request_are_an_error():
    options = dict(base.TEMPLATES[0]["OPTIONS"])
    options["context_processors"] = [
        p for p in options["context_processors"] if not p.endswith(".request")
    ]
    with override_settings(TEMPLATES=[{**base.TEMPLATES[0], "OPTIONS": options}]):
        reported = messages()
    assert "context_processors.request" in reported["kis_pages.E003"]


def test_a_stylesheet_the_static_finders_cannot_find_is_a_warning():
    finders = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    with override_settings(STATICFILES_FINDERS=finders):
        reported = messages()
    assert "AppDirectoriesFinder" in reported["kis_pages.W001"]


@pytest.mark.parametrize(
    ("backend", "check_id"),
    [
        ("django_tasks.backends.immediate.ImmediateBackend", "kis_forms.W001"),
        ("django_tasks.backends.dummy.DummyBackend", "kis_forms.E002"),
    ],
)
def test_a_task_backend_that_does_not_queue_e_mails_is_reported(backend, check_id):
    with override_settings(TASKS={"default": {"BACKEND": backend}}):
        reported = messages()
    assert "kis_worker" in reported[check_id]


def test_the_database_task_backend_passes():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        assert "kis_forms.W001" not in messages()


def test_a_site_without_the_form_restoring_csrf_view_is_warned():
    with override_settings(CSRF_FAILURE_VIEW="django.views.csrf.csrf_failure"):
        reported = messages()
    assert "kis_forms.intake.csrf_failure.csrf_failure" in reported["kis_forms.W002"]
