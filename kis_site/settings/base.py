"""Settings shared by every environment; the environment-specific modules extend them."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .mail import SMTP_BACKEND, mail_settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "kis_pages",
    "kis_forms",
    "kis_site.demo",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "wagtail_headless_preview",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: the APIs' refusals are readable by the front end too.
    "corsheaders.middleware.CorsMiddleware",
    "kis_site.middleware.RefuseNulInQueryMiddleware",
    "kis_site.middleware.RefuseOutOfRangeNumbersInApiMiddleware",
    # Before the session: it must see every cookie a response sets (kis_pages/page_cache.py).
    "kis_pages.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
# A refused CSRF check shows the enquiry form again as the resident filled it in.
CSRF_FAILURE_VIEW = "kis_forms.intake.csrf_failure.csrf_failure"

ROOT_URLCONF = "kis_site.urls"
WSGI_APPLICATION = "kis_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands from DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The server and the task worker write to one file: readers go on beside a writer (WAL),
    # and a transaction takes the write lock as it begins, waiting up to 20 s for the other
    # process; begun as a reader, it would be refused ("database is locked") when it writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every process), else process-local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kis",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: a database queue drained by `manage.py kis_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Polish first; English stays available to admin users.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

# E-mail: an SMTP server from the environment.
globals().update(
    mail_settings(
        SMTP_BACKEND,
        host=os.environ.get("EMAIL_HOST", "localhost"),
        port=int(os.environ.get("EMAIL_PORT", "25")),
        username=os.environ.get("EMAIL_HOST_USER", ""),
        password=os.environ.get("EMAIL_HOST_PASSWORD", ""),
        use_tls=os.environ.get("EMAIL_USE_TLS", "") == "1",
        # Seconds before a silent SMTP server counts as failed: the worker sends while it
        # holds the notification's row lock, and the send is retried later.
        timeout=int(os.environ.get("EMAIL_TIMEOUT", "30")),
    )
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kis@localhost")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Forms' standard widgets drawn in Python with the markup of Django's templates
# (kis_forms/renderer.py): Wagtail's admin draws a checkbox per Site, here one per club.
FORM_RENDERER = "kis_forms.renderer.WidgetDrawingRenderer"

WAGTAIL_SITE_NAME = _("Klub Integracji Społecznej")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "kis_site.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
# No WAGTAILAPI_BASE_URL: the APIs' absolute URLs follow the Site of each request, with its
# own host and port (`kis_demo --port` sets the demo Sites' port).

# A headless front end on another origin (README, Headless): the origins, e.g.
# `https://www.kis.example`, whose pages may call the APIs from the browser; none by default.
# Never the admin or the pages, never with cookies, and only to read and to send enquiries.
CORS_ALLOWED_ORIGINS = [o for o in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if o]
CORS_URLS_REGEX = r"^/api/v[23]/"
CORS_ALLOW_METHODS = ["GET", "OPTIONS", "POST"]

# The headless front end's address, e.g. `https://www.kis.example`: Preview in the admin then
# sends the editor there with a token for the draft (kis_pages/preview.py). Unset, Preview
# draws the page with the club theme.
HEADLESS_PREVIEW_URL = os.environ.get("HEADLESS_PREVIEW_URL", "")
if HEADLESS_PREVIEW_URL:
    WAGTAIL_HEADLESS_PREVIEW = {
        "CLIENT_URLS": {"default": HEADLESS_PREVIEW_URL},
        "REDIRECT_ON_PREVIEW": True,
    }
