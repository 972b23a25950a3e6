"""Settings for pytest: fast hashing, mail kept in memory, tasks run at once."""

import django

from .base import *  # noqa: F403
from .mail import mail_settings

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
globals().update(mail_settings("django.core.mail.backends.locmem.EmailBackend"))
# Tasks take their class from the backend when declared: on Django 6 the database backend
# (which some tests switch to) needs Django's own task framework, on 5.2 the backport.
_TASK_FRAMEWORK = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
TASKS = {"default": {"BACKEND": f"{_TASK_FRAMEWORK}.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# django-axes (production's login lockout) gets its tables but stays off, so tests can log
# in with client.login(); tests/kis_site/test_security.py switches it on with the rest.
INSTALLED_APPS = [*INSTALLED_APPS, "axes"]  # noqa: F405
# The bare Wagtail page the page benchmark compares with, so that the query-count tests of
# tests/kis_pages/test_query_counts.py compare with the same page.
INSTALLED_APPS += ["bench.bare_page"]
AXES_ENABLED = False
# Kept pages and their parts would outlive each test's rolled-back content: the tests of
# tests/kis_pages/test_page_cache.py and test_fragment_cache.py switch them on.
KIS_PAGES = {"PAGE_CACHE": False, "FRAGMENT_CACHE": False}
