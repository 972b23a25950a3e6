"""Mail settings for both supported Django versions.

Django 6.1 reads `MAILERS` and deprecates the `EMAIL_*` settings; Django 5.2 knows only
`EMAIL_*`. Each settings module describes its mailer once and this writes the right form.
"""

import django

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_EMAIL_SETTING_NAMES = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "timeout": "EMAIL_TIMEOUT",
}


def mail_settings(backend, **options):
    """Return the settings that make `backend` with `options` the default mailer."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend, "OPTIONS": options}}}
    return {
        "EMAIL_BACKEND": backend,
        **{_EMAIL_SETTING_NAMES[name]: value for name, value in options.items()},
    }
