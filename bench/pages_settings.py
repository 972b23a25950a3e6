"""Settings for bench/pages.py: production's, read from the environment as ever, plus the
bare Wagtail page type the benchmark compares our pages with."""

from kis_site.settings.production import *  # noqa: F403
from kis_site.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.bare_page"]
