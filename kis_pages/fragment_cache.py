"""The parts of a club's pages drawn from elsewhere than the page itself, kept in the cache
between renders: the accessibility meta tag, the header with the menu and the crisis
banner, the footer with the contact worker and the club's settings, and on the club's home
the lists of its activities, announcements and socially useful work.

What the page cache cannot serve (a logged-in editor's or moderator's page, the page after a
form is sent, an address not kept yet) is still rendered, but spares the queries and the
drawing of these parts: 4 queries instead of 11 on a club's home page.

A part is kept under its Site's version (kis_pages/page_cache.py), which every publish,
unpublish, move or delete, and every change to the club's settings, a social worker or the
Site renews; and under today's date (the banner changes at midnight), the language, the
page (the menu marks it as current) and the template (which may fill a block of a part its
own way). PageCacheMiddleware reads the version when Wagtail's serve view is called, before
the page is fetched, so a publish meanwhile outdates what this render keeps. Any other
render (a preview, an error page, another view) draws every part afresh.

Option, in settings.KIS_PAGES: `FRAGMENT_CACHE` (on).
"""

import hashlib

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .conf import option
from .page_cache import SITE_VERSION_ATTR


def fragment_key(context, name):
    """The cache key of the part `name` of the page being rendered, or None: draw it afresh."""
    request = context.get("request")
    page = context.get("page")
    stamp = getattr(request, SITE_VERSION_ATTR, None)
    if stamp is None or getattr(page, "pk", None) is None or not option("FRAGMENT_CACHE"):
        return None
    site_id, version = stamp
    parts = (
        name,
        site_id,
        version,
        timezone.localdate().isoformat(),
        get_language(),
        page.pk,
        context.template.name,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"kis_pages:fragment:{digest}"


class ClubFragmentNode(template.Node):
    """Renders its contents once per key and then takes them from the cache.

    Variables set inside stay inside, so that a page renders the same whether the part was
    drawn or taken from the cache.
    """

    child_nodelists = ("nodelist",)

    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        key = fragment_key(context, self.name.resolve(context))
        html = cache.get(key) if key else None
        if html is None:
            with context.push():
                html = self.nodelist.render(context)
            if key:
                cache.set(key, html, option("PAGE_CACHE_TIMEOUT"))
        return mark_safe(html)  # noqa: S308 (our own template's output, escaped when drawn)
