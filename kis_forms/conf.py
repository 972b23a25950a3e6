"""The options of kis_forms, from settings.KIS_FORMS: the one place they are read, when they
are needed (never at import time), each with its default."""

from django.conf import settings

DEFAULTS = {
    "RATE_LIMIT": 5,  # posts per client address (an IPv6 client's /64)...
    "RATE_WINDOW": 600,  # ...in any this many seconds
    "MIN_FILL_SECONDS": 3,  # a person needs longer than this to fill the form
    "TOKEN_MAX_AGE": 24 * 3600,  # a form left open longer is shown again with a fresh token
    "PROXY_COUNT": 0,  # reverse proxies in front of the app that append X-Forwarded-For
    "MAX_ANSWER_LENGTH": 4000,  # characters in one answer
    "MAX_TOTAL_LENGTH": 20000,  # characters in all answers together
    # Seconds before each new attempt at a failed e-mail; the last repeats for a day.
    "RETRY_DELAYS": [60, 300, 900, 1800, 3600, 7200, 14400, 21600, 43200],
    "RECOVERY_INTERVAL": 300,  # seconds between a task worker's looks for abandoned e-mails
    "SPAM_RETENTION_DAYS": 30,  # spam is anonymised this long after it became spam
}


def option(name):
    """A plugin option from settings.KIS_FORMS, read when it is needed."""
    return getattr(settings, "KIS_FORMS", {}).get(name, DEFAULTS[name])
