"""The public pages' cache: whole pages for anonymous visitors, shared by every app server.

A page is kept per address (scheme, host, path and query) in Django's cache, which is Redis
in production. Every Site has a version in the cache, and a kept page is served only while
its Site still has the version it was kept under. Publishing, unpublishing, moving or
deleting a page, restricting who may view it, and editing what every page of a club shows
(the club's settings, a social worker, an image or document, the Site itself) give the Sites
concerned a new version, once the change is committed.

What one client can add is bounded by the pages, so that Redis's default `noeviction` never
fills up: a page is kept only for a query string of the parameters the page read, each once
with the value it used (`query_read.read_query`: `?strona=2` on an announcement list, never `?q=…`),
in whatever order or encoding; and only for a Host that is its Site's own, as the Site has
it (its hostname, with its port or none): an unknown host that Wagtail answers with the
default Site, or a known one in capitals or on another port, keeps nothing.

Announcements are shown from and until whole days in settings.TIME_ZONE, so a page can only
change by itself at midnight: nothing is kept past the next local midnight.

Form pages are kept too. The values of per-visitor hidden inputs (the CSRF token, and those
apps name through the `register_page_cache_per_visitor_fields` hook, such as the enquiry
form's one-time token) are blanked in the kept copy and filled in afresh for each visitor.

Options, in settings.KIS_PAGES (read when used): `PAGE_CACHE` (on),
`PAGE_CACHE_TIMEOUT` (seconds a page, or a part of one, is kept at most, 3600) and
`FRAGMENT_CACHE` (on: the parts of club pages drawn from elsewhere than the page itself,
kis_pages/fragment_cache.py).
"""

import datetime
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.html import escape
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.views import serve

from .conf import option
from .models import ClubSettings, SocialWorker
from .query_read import read_whole_query
from .tree import ancestor_paths

PER_VISITOR_FIELDS_HOOK = "register_page_cache_per_visitor_fields"
CACHE_STATUS_HEADER = "X-Cache"
CSRF_FIELD = "csrfmiddlewaretoken"
SITE_VERSION_ATTR = "_kis_site_version"  # (site id, version) of the request being served
# Headers a page's view sets that belong to the page; middleware adds the rest on every hit.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
UNSHAREABLE = re.compile(r"\b(private|no-cache|no-store)\b", re.IGNORECASE)
MAX_HOSTS_REMEMBERED = 1000
_site_of_host = {}  # host -> the Site its last kept page belonged to: a guess, never trusted


class PageCacheMiddleware(MiddlewareMixin):
    """Serve anonymous GETs of Wagtail pages from the cache, and keep what may be shared.

    Put it before SessionMiddleware, so that it sees every cookie a response sets. A page
    served from the cache still passes through every middleware's response handling, so
    security headers and the CSRF cookie are set as usual.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not serve:
            return None
        whole_page = option("PAGE_CACHE") and is_anonymous_read(request)
        if whole_page:
            key = page_key(request)
            kept = kept_page(request, key)
            if kept is not None:
                response = kept.response_for(request)
                if response is not None:
                    return response
        if not (whole_page or option("FRAGMENT_CACHE")):
            return None
        site = Site.find_for_request(request)
        if site is None:
            return None
        # Read before the page is fetched and rendered, so that a publish meanwhile outdates
        # what is kept of this render: the page, or its parts (kis_pages/fragment_cache.py).
        version = current_version(site.pk)
        setattr(request, SITE_VERSION_ATTR, (site.pk, version))
        if whole_page and names_its_site(request, site):
            request._kis_page_cache = (key, site.pk, version)
        return None

    def process_response(self, request, response):
        pending = getattr(request, "_kis_page_cache", None)
        if pending is not None and is_shareable(response) and read_whole_query(request):
            keep(pending, response)
        return response


def names_its_site(request, site):
    """The request's Host is its Site's own hostname, with the Site's port or none."""
    hostname = site.hostname.lower()
    return request.get_host() in (hostname, f"{hostname}:{site.port}")


def is_anonymous_read(request):
    """A GET or HEAD without a session: never a logged-in user's or a preview."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_shareable(response):
    """A complete page that is the same for every anonymous visitor but for its holes."""
    return (
        response.status_code == 200
        and not response.streaming
        and not UNSHAREABLE.search(response.get("Cache-Control", ""))
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
    )


def kept_page(request, key):
    """The page kept under `key` if its Site still has the version it was kept under.

    The Site a host showed last time is only a guess, which lets one round trip to the cache
    fetch the page and that Site's version together.
    """
    host = request.get_host()
    guess = _site_of_host.get(host)
    found = cache.get_many([key] if guess is None else [key, version_key(guess)])
    kept = found.get(key)
    if kept is None:
        return None
    if kept.site_id == guess:
        version = found.get(version_key(guess))
    else:
        version = cache.get(version_key(kept.site_id))
        if len(_site_of_host) < MAX_HOSTS_REMEMBERED:
            _site_of_host[host] = kept.site_id
    return kept if version == kept.version else None


def page_key(request):
    """The key of the address: the query as parsed, so that its order and encoding do not count."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}".encode()
    return f"kis_pages:page:{hashlib.sha256(address).hexdigest()}"


def version_key(site_id):
    return f"kis_pages:page-version:{site_id}"


def new_version():
    """A value a Site's version has not had before."""
    return secrets.token_hex(8)


def current_version(site_id):
    """The Site's version, given one if it has none yet (or the cache lost it)."""
    return cache.get_or_set(version_key(site_id), new_version, timeout=None)


def seconds_to_midnight(now=None):
    """Seconds until the next midnight in settings.TIME_ZONE, when announcements change."""
    now = timezone.localtime(now)
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=now.tzinfo
    )
    return midnight.timestamp() - now.timestamp()


def per_visitor_fields():
    """Hidden inputs whose value each visitor gets afresh: name -> function of the request."""
    fields = {CSRF_FIELD: get_token}
    for fn in hooks.get_hooks(PER_VISITOR_FIELDS_HOOK):
        fields.update(fn())
    return fields


@functools.cache
def input_value(name):
    """Matches the value of every <input name="`name`">, as Django renders it."""
    name = re.escape(name.encode())
    return re.compile(rb'(<input\b[^>]*\bname="' + name + rb'"[^>]*\bvalue=")[^"]*')


@dataclass
class KeptPage:
    """A page as kept in the cache: its Site's version then, and its per-visitor holes."""

    site_id: int
    version: str
    content: bytes
    headers: dict
    holes: list

    def response_for(self, request):
        """The page for this visitor, or None if a hole's filler is no longer registered."""
        content = self.content
        fields = per_visitor_fields() if self.holes else {}
        for name in self.holes:
            if name not in fields:
                return None
            value = escape(fields[name](request)).encode()
            content = input_value(name).sub(lambda match, v=value: match.group(1) + v, content)
        response = HttpResponse(content, headers=self.headers)
        response[CACHE_STATUS_HEADER] = "hit"
        return response


def keep(pending, response):
    """Keep `response` with its per-visitor values blanked, unless one cannot be found."""
    key, site_id, version = pending
    content, holes = response.content, []
    for name in per_visitor_fields():
        content, found = input_value(name).subn(rb"\1", content)
        if found != content.count(f'name="{name}"'.encode()):
            return  # an input Django did not render: its value might be this visitor's
        if found:
            holes.append(name)
    if settings.CSRF_COOKIE_NAME in response.cookies and CSRF_FIELD not in holes:
        return  # the CSRF token is used somewhere other than a form's hidden input
    timeout = int(min(option("PAGE_CACHE_TIMEOUT"), seconds_to_midnight()))
    if timeout < 1:
        return
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    cache.set(key, KeptPage(site_id, version, content, headers, holes), timeout)
    response[CACHE_STATUS_HEADER] = "miss"


def outdate(site_ids):
    """Give these Sites a new version once the current transaction commits."""
    site_ids = set(site_ids)
    if not site_ids:
        return

    def renew():
        cache.set_many({version_key(pk): new_version() for pk in site_ids}, timeout=None)

    transaction.on_commit(renew, robust=True)


def sites_showing(page):
    """The ids of the Sites whose tree holds `page` (its own path is enough: deleted is fine)."""
    roots = ancestor_paths(page.path)
    return list(Site.objects.filter(root_page__path__in=roots).values_list("pk", flat=True))


def outdate_page(sender, instance, **kwargs):
    outdate(sites_showing(instance))


def outdate_moved_page(sender, parent_page_before, parent_page_after, **kwargs):
    outdate([*sites_showing(parent_page_before), *sites_showing(parent_page_after)])


def outdate_restricted_page(sender, instance, **kwargs):
    outdate(sites_showing(instance.page))


def outdate_site_setting(sender, instance, **kwargs):
    outdate([instance.site_id])


def outdate_every_site(sender, instance, **kwargs):
    """Shown on many clubs' pages, or a Site itself (which changes which host shows what)."""
    extra = [instance.pk] if isinstance(instance, Site) else []
    outdate([*Site.objects.values_list("pk", flat=True), *extra])


def connect_signals():
    """Outdate kept pages whenever what they show changes; called when kis_pages is ready."""
    page_published.connect(outdate_page, dispatch_uid="kis_page_cache_published")
    page_unpublished.connect(outdate_page, dispatch_uid="kis_page_cache_unpublished")
    post_page_move.connect(outdate_moved_page, dispatch_uid="kis_page_cache_moved")
    post_delete.connect(outdate_page, sender=Page, dispatch_uid="kis_page_cache_deleted")
    everywhere = [Site, SocialWorker, get_image_model(), get_document_model()]
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            outdate_restricted_page,
            sender=PageViewRestriction,
            dispatch_uid=f"kis_page_cache_restriction_{name}",
        )
        signal.connect(
            outdate_site_setting,
            sender=ClubSettings,
            dispatch_uid=f"kis_page_cache_settings_{name}",
        )
        for model in everywhere:
            signal.connect(
                outdate_every_site,
                sender=model,
                dispatch_uid=f"kis_page_cache_{model._meta.label_lower}_{name}",
            )
