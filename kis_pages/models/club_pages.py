"""The pages of a club that its pages draw besides themselves, read in one query: the club
home's live children (the menu, the links to the accessibility statement, the easy-to-read
page and all announcements) and the crisis banner; on the club's home also its lists of
activities, socially useful work and current announcements.

Each part keeps its own condition (the querysets the parts used when each had a query of
its own), joined with OR; a part with a limit is a subquery of the ids it would show. The
rows come as plain pages with their own type's row joined in (`select_related` of the
reverse one-to-one), StreamFields not drawn and Wagtail's bookkeeping columns left unread.
Profiled without caches, the ORM's compiling of these five queries took longer than
Wagtail's serving of a bare page.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Page

from ..prepared import run_prepared
from ..restrictions import unrestricted_below
from ..tree import descendants_q
from .activities import ActivityPage
from .announcements import AnnouncementPage, banner_on, current_on
from .workplaces import WorkplaceListPage

BANNER_LENGTH = 5
HOME_ANNOUNCEMENTS = 3
TYPES_JOINED = (ActivityPage, AnnouncementPage, WorkplaceListPage)
# Wagtail's columns of a page that nothing drawn from these rows reads (links, menu, banner
# and lists read the title, the place in the tree, the type and the address): left unread,
# each row builds fewer fields. Read later, one still comes, by a query of its own.
UNREAD_PAGE_COLUMNS = (
    "latest_revision",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
    "draft_title",
    "owner",
    "latest_revision_created_at",
    "alias_of",
    "search_description",
)


@dataclass
class ClubPages:
    """What one query read for the page being drawn; the lists only on the club's home."""

    children: list
    banner: list
    lists: bool = False
    activities: list = field(default_factory=list)
    workplace_editions: list = field(default_factory=list)
    announcements: list = field(default_factory=list)


def _in(ids):
    """A condition kept as a column, so each row says which limited part it belongs to."""
    return ExpressionWrapper(Q(pk__in=ids), output_field=BooleanField())


def _joined(queryset, types):
    """`queryset` with the rows of `types` joined in, StreamFields and UNREAD_PAGE_COLUMNS
    unread."""
    names = [model._meta.model_name for model in types]
    unread = [
        f"{model._meta.model_name}__{f.name}"
        for model in types
        for f in model._meta.local_concrete_fields
        if isinstance(f, StreamField)
    ]
    return queryset.select_related(*names).defer(*UNREAD_PAGE_COLUMNS, *unread)


def read_club_pages(club, lists=False):
    """The club's live, unrestricted children in tree order and its banner, newest first;
    with `lists`, the home's lists as ClubPage.get_context shows them."""
    day = timezone.localdate()
    key = ("club_pages", club.pk, club.path, club.depth, day, lists)
    rows = run_prepared(Page, key, partial(_query, club, day, lists))
    children = [page for page in rows if page.depth == club.depth + 1]
    found = ClubPages(children=children, banner=_newest_first(rows, "in_banner"), lists=lists)
    if lists:
        found.activities = [page.activitypage for page in rows if _is(page, ActivityPage)]
        editions = [page.workplacelistpage for page in children if _is(page, WorkplaceListPage)]
        found.workplace_editions = sorted(editions, key=lambda edition: -edition.year)
        found.announcements = _newest_first(rows, "in_announcements")
    return found


def _query(club, day, lists):
    """The one query of `read_club_pages`: its SQL depends on the club's id and place in the
    tree, the day and `lists` alone, so a process builds and compiles it once for them."""
    banner = AnnouncementPage.objects.live().filter(descendants_q(club), banner_on(day))
    banner = unrestricted_below(banner, club).newest_first().values("pk")[:BANNER_LENGTH]
    wanted = Q(depth=club.depth + 1) | Q(pk__in=banner)
    marks = {"in_banner": _in(banner)}
    if lists:
        current = AnnouncementPage.objects.live().filter(descendants_q(club), current_on(day))
        current = unrestricted_below(current, club).newest_first().values("pk")
        current = current[:HOME_ANNOUNCEMENTS]
        wanted |= Q(activitypage__isnull=False) | Q(pk__in=current)
        marks["in_announcements"] = _in(current)
    pages = unrestricted_below(Page.objects.live().filter(descendants_q(club), wanted), club)
    types = TYPES_JOINED if lists else (AnnouncementPage,)  # the banner's alone elsewhere
    return _joined(pages, types).annotate(**marks).order_by("path")


def _is(page, model):
    return issubclass(page.specific_class, model)


def _newest_first(rows, mark):
    """The announcements among `rows` marked `mark`, in AnnouncementQuerySet.newest_first's
    order."""
    chosen = [page.announcementpage for page in rows if getattr(page, mark)]
    return sorted(chosen, key=lambda a: (a.pinned, a.date, a.pk), reverse=True)
