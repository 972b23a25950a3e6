"""Settings for the benchmarks run against the production layout: production's, read from
the environment as ever, plus the plain Wagtail page types the benchmarks compare ours with.

Every request of a benchmark comes from 127.0.0.1 and fetches its form just before sending
it: the enquiry rate limit and minimum fill time would only measure themselves.
"""

from kis_site.settings.production import *  # noqa: F403
from kis_site.settings.production import INSTALLED_APPS, KIS_FORMS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.bare_page", "bench.plain_form"]
KIS_FORMS = {**KIS_FORMS, "RATE_LIMIT": 1_000_000, "MIN_FILL_SECONDS": 0}
