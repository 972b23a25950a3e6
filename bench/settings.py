"""Settings for the benchmarks: the example site as production runs it, plus a plain
Wagtail e-mail form to compare with. Addresses come from the benchmark's environment."""

import os

from kis_site.settings.base import *  # noqa: F403
from kis_site.settings.mail import SMTP_BACKEND, mail_settings

DEBUG = False
SECRET_KEY = "benchmark-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", ".localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench.plain_form"]  # noqa: F405

# Every request of a benchmark comes from 127.0.0.1 and fetches its form just before
# sending it: the rate limit and the minimum fill time would only measure themselves.
KIS_FORMS = {"RATE_LIMIT": 1_000_000, "MIN_FILL_SECONDS": 0}

globals().update(
    mail_settings(
        SMTP_BACKEND, host="127.0.0.1", port=int(os.environ.get("BENCH_SMTP_PORT", "2525"))
    )
)
# The enquiry bench compares its GET and POST with nothing of either taken from a cache.
KIS_PAGES = {"PAGE_CACHE": False, "FRAGMENT_CACHE": False}
