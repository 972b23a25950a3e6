"""Production: every secret and address comes from the environment (see README, Production).

Importing this module with a required variable unset stops with one error naming each
missing variable.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, MIDDLEWARE
from .security import security_settings

POSTGRESQL = "django.db.backends.postgresql"

REQUIRED_VARIABLES = [
    "DJANGO_SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
    "WAGTAILADMIN_BASE_URL",
]


def check_environment():
    """Stop with one error naming every required variable that is unset or wrong."""
    problems = []
    missing = [name for name in REQUIRED_VARIABLES if not os.environ.get(name)]
    if missing:
        problems.append("these environment variables are not set: " + ", ".join(missing))
    if os.environ.get("DATABASE_URL") and DATABASES["default"]["ENGINE"] != POSTGRESQL:
        problems.append("DATABASE_URL must point at PostgreSQL")
    if problems:
        raise ImproperlyConfigured(
            "Production settings: " + "; ".join(problems) + " (see README.md, Production)."
        )


def env_flag(name, default):
    """The environment variable `name` as a boolean: 1 or 0, `default` when unset."""
    value = os.environ.get(name, "")
    if value not in ("", "0", "1"):
        raise ImproperlyConfigured(f"The environment variable {name} must be 0 or 1.")
    return default if value == "" else value == "1"


def env_int(name, default):
    """The environment variable `name` as a whole number, `default` when unset."""
    value = os.environ.get(name, "")
    if value and not value.isdigit():
        raise ImproperlyConfigured(f"The environment variable {name} must be a whole number.")
    return int(value) if value else default


check_environment()

DEBUG = False
# Persistent connections are tested before each request reuses them, so the app servers
# carry on by themselves after PostgreSQL restarts.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Trusted reverse proxies appending X-Forwarded-For: the enquiry rate limit and the login
# lockout both count per client address.
KIS_FORMS = {"PROXY_COUNT": env_int("PROXY_COUNT", 0)}
# Public pages kept in Redis for anonymous visitors (kis_pages/page_cache.py), and for pages
# rendered all the same, the parts drawn from the club's other pages (kis_pages/fragment_cache.py).
KIS_PAGES = {
    "PAGE_CACHE": env_flag("PAGE_CACHE", True),
    "FRAGMENT_CACHE": env_flag("FRAGMENT_CACHE", True),
}

# Static files: collected, hashed and compressed, served by WhiteNoise with a long cache.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

INSTALLED_APPS = [*INSTALLED_APPS, "axes"]
globals().update(
    security_settings(
        MIDDLEWARE,
        ssl_redirect=env_flag("SECURE_SSL_REDIRECT", True),
        hsts_preload=env_flag("SECURE_HSTS_PRELOAD", True),
        failure_limit=env_int("LOGIN_FAILURE_LIMIT", 5),
        username_failure_limit=env_int("LOGIN_USERNAME_FAILURE_LIMIT", 20),
        lockout_minutes=env_int("LOGIN_LOCKOUT_MINUTES", 60),
    )
)
