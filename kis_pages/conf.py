"""The options of kis_pages, from settings.KIS_PAGES: the one place they are read, when they
are needed (never at import time), each with its default."""

from django.conf import settings

DEFAULTS = {
    "PAGE_CACHE": True,  # whole public pages kept for anonymous visitors (page_cache.py)
    "PAGE_CACHE_TIMEOUT": 3600,  # seconds a page is kept at most
    "FRAGMENT_CACHE": True,  # the parts drawn from elsewhere kept for everybody (fragment_cache.py)
}


def option(name):
    """An option from settings.KIS_PAGES, read when it is needed."""
    return getattr(settings, "KIS_PAGES", {}).get(name, DEFAULTS[name])
