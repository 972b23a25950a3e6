"""The embedded default for `make run`: SQLite, local memory, mail to the console."""

from .base import *  # noqa: F403
from .mail import mail_settings

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", ".localhost"]  # noqa: F405
globals().update(mail_settings("django.core.mail.backends.console.EmailBackend"))
# Template and code edits show at once; `make serve-production` runs with the page cache.
KIS_PAGES = {"PAGE_CACHE": False, "FRAGMENT_CACHE": False}
