"""Template tags of the public theme: the current club, its menu, banner, contact, the
accessibility statement and easy-to-read page that every page links to, and the cache of
the parts a club's pages draw from elsewhere."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import fullpageurl, pageurl

from ..blocks import weekday_label
from ..formats import display_date, display_zloty
from ..fragment_cache import ClubFragmentNode
from ..models import AnnouncementIndexPage, ClubPage
from ..page_links import full_page_url, page_url

register = template.Library()

_CLUB_CACHE_ATTR = "_kis_club"


def _routed_club(page):
    """The nearest club above `page` as Wagtail's routing left it, parent on child (Page.route
    sets `_cached_parent_obj`), or None when the page was not routed to."""
    parent = getattr(page, "_cached_parent_obj", None)
    while parent is not None and not isinstance(parent, ClubPage):
        parent = getattr(parent, "_cached_parent_obj", None)
    return parent


def _find_club(request, page):
    """The club of this page: the page itself, its nearest club ancestor, or the Site's root."""
    if isinstance(page, ClubPage):
        return page  # as given, so a preview shows the draft title in the header too
    routed = _routed_club(page)
    if routed is not None:
        return routed
    clubs = ClubPage.objects.all()
    if getattr(page, "path", ""):
        return clubs.ancestor_of(page).order_by("-depth").first()
    site = Site.find_for_request(request)
    return clubs.filter(pk=site.root_page_id).first() if site else None


@register.simple_tag(takes_context=True)
def site_pageurl(context, page):
    """Wagtail's {% pageurl page %}, without its work per link for the request's own Site's
    pages (kis_pages/page_links.py)."""
    if not isinstance(page, Page):
        return pageurl(context, page)  # Wagtail's own error
    return page_url(context.get("request"), page)


@register.simple_tag(takes_context=True)
def site_fullpageurl(context, page):
    """Wagtail's {% fullpageurl page %}, as site_pageurl is its {% pageurl %}."""
    if not isinstance(page, Page):
        return fullpageurl(context, page)
    return full_page_url(context.get("request"), page)


# A row of the workplaces' table, indented as the page's template around it.
WORKPLACE_ROW = (
    '\n{0}<tr>\n{1}<th scope="row">{{}}</th>\n{1}<td>{{}}</td>\n{1}<td>{{}}</td>'
    '\n{1}<td class="num">{{}}</td>\n{0}</tr>\n{2}'
).format(" " * 32, " " * 36, " " * 28)
EMPTY_CELL = '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>'


@register.simple_tag
def workplace_rows(workplaces):
    """The rows of the workplaces' table: unit, kind, address and places, an empty cell
    saying in words what it lacks. Written at once; drawn through template tags cell by
    cell, 22 rows took more than half a millisecond of the page."""
    no_address = format_html(EMPTY_CELL, gettext("not given"))
    no_places = format_html(EMPTY_CELL, gettext("not split by unit"))
    return format_html_join(
        "",
        WORKPLACE_ROW,
        (
            (
                workplace.unit_name,
                workplace.get_unit_kind_display(),
                workplace.address or no_address,
                no_places if workplace.places is None else localize(workplace.places),
            )
            for workplace in workplaces
        ),
    )


@register.tag
def club_fragment(parser, token):
    """{% club_fragment "name" %}…{% endclub_fragment %}: a part of a club's page drawn from
    elsewhere, kept in the cache under all it depends on (kis_pages/fragment_cache.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the part's name.")
    nodelist = parser.parse(("endclub_fragment",))
    parser.delete_first_token()
    return ClubFragmentNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag(takes_context=True)
def club_for_page(context, page=None):
    """Return the ClubPage the current page belongs to, or None (e.g. on the 500 page).

    The answer is cached on the request, so every call after the first is free.
    """
    request = context.get("request")
    if request is None:
        return None
    if page is None or page == "":
        page = context.get("page")
    if not hasattr(request, _CLUB_CACHE_ATTR):
        setattr(request, _CLUB_CACHE_ATTR, _find_club(request, page))
    return getattr(request, _CLUB_CACHE_ATTR)


@register.simple_tag
def club_access_pages(club):
    """Return the club's statement and easy-to-read page as a dict; base.html asks once."""
    if not club:
        return {"statement": None, "easy_read": None}
    return club.accessibility_pages()


@register.simple_tag
def club_menu(club):
    """Return the club home's live children that are shown in menus, as a list."""
    if not club:
        return []
    return [page for page in club.live_children if page.show_in_menus]


@register.simple_tag
def banner_announcements(club):
    """Return the club's current pinned crisis announcements, newest first."""
    if not club:
        return []
    return club.banner


@register.simple_tag
def club_contact(club):
    """Return the worker residents should call: the contact worker, or their deputy while away."""
    return getattr(club, "contact", None)


@register.simple_tag
def announcement_index(club):
    """Return the club's live announcement list page, or None."""
    if not club:
        return None
    return club.live_child_of_type(AnnouncementIndexPage)


@register.simple_tag
def nav_current(item, page):
    """Return the aria-current value for a menu item: 'page', 'true' inside its section, or ''."""
    item_path = getattr(item, "path", "")
    page_path = getattr(page, "path", "")
    if not item_path or not page_path:
        return ""
    if item_path == page_path:
        return "page"
    if page_path.startswith(item_path):
        return "true"
    return ""


@register.simple_tag
def elided_page_range(page_obj, on_each_side=2, on_ends=1):
    """Return the page numbers around the current one, with Paginator.ELLIPSIS for gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


@register.filter
def weekday_name(value):
    """Return the name of a weekday from OpeningHoursBlock's choices, e.g. 'mon' -> Monday."""
    return weekday_label(value)


@register.filter
def date_shown(value):
    """Return a date as the pages print it, e.g. '1 czerwca 2020' (the API's `*_display`)."""
    return display_date(value)


@register.filter
def zloty(value):
    """Return an amount as the pages print it, e.g. '8,50 zł' (the API's `*_display`)."""
    return display_zloty(value)
