"""Links to pages of the request's own Site, as Wagtail's `pageurl` and `fullpageurl` write
them, without their work per link.

Profiled with both caches off, Wagtail's `pageurl` took about 15 µs a link: a `reverse()` of
its serve view and a pass over every Site's root path (300 of them at a national install),
and a club's home draws 16 links. With Wagtail's i18n off, a page below the request's Site
root has as its link that Site's serve prefix (one `reverse()` a request) followed by the
page's path below the root, quoted as `reverse()` quotes it. The root is the one Wagtail's
routing of the request read, else Wagtail's kept list of the Sites' roots. Any other page
(another Site's, one whose type routes its own way, a path the serve view would not match)
gets Wagtail's own answer.
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, Site
from wagtail.urls import serve_pattern

REQUEST_ATTR = "_kis_site_links"
UNQUOTED = RFC3986_SUBDELIMS + "/~:@"  # what Django's reverse() leaves as it is
SERVED_PATH = re.compile(serve_pattern)
ROOT_PAGE = Site._meta.get_field("root_page")


class SiteLinks:
    """The links of one request's Site: its root page's URL path, serve prefix and root URL."""

    def __init__(self, root_path, prefix, root_url):
        self.root_path = root_path
        self.prefix = prefix
        self.root_url = root_url

    def url(self, page):
        """The page's URL relative to the Site, or None where Wagtail must answer."""
        url_path = page.url_path
        if type(page).get_url_parts is not Page.get_url_parts or not url_path.startswith(
            self.root_path
        ):
            return None
        below_root = url_path[len(self.root_path) :]
        if not SERVED_PATH.match(below_root):
            return None
        url = self.prefix + quote(below_root, safe=UNQUOTED)
        if not WAGTAIL_APPEND_SLASH and url != "/":
            url = url.rstrip("/")
        return url


def site_links(request):
    """The request's SiteLinks, made once a request; None where Wagtail must answer all."""
    if request is None:
        return None
    try:
        return getattr(request, REQUEST_ATTR)
    except AttributeError:
        links = _links_of(request)
        setattr(request, REQUEST_ATTR, links)
        return links


def _links_of(request):
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    try:
        prefix = reverse("wagtail_serve", args=("",))
    except NoReverseMatch:  # Wagtail served headless, without its serve view
        return None
    if ROOT_PAGE.is_cached(site):  # read by Wagtail's routing of this request
        return SiteLinks(site.root_page.url_path, prefix, site.root_url)
    for root in Site.get_site_root_paths():  # from the cache, Redis in production
        if root.site_id == site.pk:
            return SiteLinks(root.root_path, prefix, root.root_url)
    return None


def page_url(request, page):
    """What Wagtail's `pageurl` gives for `page` on `request`."""
    links = site_links(request)
    url = links.url(page) if links else None
    return url if url is not None else page.get_url(request=request)


def full_page_url(request, page):
    """What Wagtail's `fullpageurl` gives for `page` on `request`."""
    links = site_links(request)
    url = links.url(page) if links else None
    return links.root_url + url if url is not None else page.get_full_url(request=request)
