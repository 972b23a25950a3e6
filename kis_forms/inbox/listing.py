"""What the inbox's listing reads: the enquiries in the user's scope with their club, form
and e-mail state, the search rule, and the filter choices and total it keeps in the cache.

The export, the data subject's request and "select all in listing" read through the same
functions, so they find exactly what the listing shows.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils.functional import cached_property
from wagtail.admin.paginator import WagtailPaginator
from wagtail.models import Page

from kis_forms.models import EnquirySubmission, Notification
from kis_forms.permissions import enquiry_policy
from kis_pages.models import SocialWorker

OPEN = [
    EnquirySubmission.Status.NEW,
    EnquirySubmission.Status.IN_PROGRESS,
    EnquirySubmission.Status.ANSWERED,
]
FAILING = [Notification.State.FAILING, Notification.State.GIVEN_UP]
NOBODY = "nobody"  # the assignee filter's choice for open enquiries nobody has taken yet
FILTER_CHOICES_SECONDS = 300  # a new form, worker or assignee joins the filters within minutes
COUNT_CACHE_SECONDS = 600  # the whole inbox's total, also renewed by each arrival or deletion
DELETIONS_KEY = "kis_forms:enquiry-deletions"
SEARCH_FIELDS = ["reference", "resident_name", "resident_email"]  # see search_enquiries()


def with_listing_data(queryset):
    """The enquiries with their club, form, worker, assignee and e-mail state, in one query.

    The club's and form's titles and the worker's e-mail state are subqueries, evaluated for
    the shown rows only; joined to pages, every matching row would be sorted and counted
    twice as slowly, and prefetched pages carry every column of the page tree. The worker
    and assignee are joined: a count leaves those joins out, and a page of rows reads them
    through their primary keys.
    """
    form = Page.objects.filter(pk=OuterRef("page_id"))
    # An enquiry form is a child of its club, at whatever depth the club stands.
    club_path = (
        Page.objects.filter(pk=OuterRef(OuterRef("page_id")))
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .values("parent_path")[:1]
    )
    club = Page.objects.filter(path=Subquery(club_path))
    worker_notification = Notification.objects.filter(
        submission=OuterRef("pk"), kind=Notification.Kind.WORKER
    )
    return queryset.select_related("worker", "assignee").annotate(
        club_title=Subquery(club.values("title")[:1]),
        form_title=Subquery(form.values("title")[:1]),
        worker_notification=Subquery(worker_notification.values("state")[:1]),
    )


def search_enquiries(queryset, query):
    """The enquiries matching `query`: a whole e-mail address exactly, in any case (an index
    lookup); anything else as part of the reference, name or e-mail address."""
    query = query.strip()
    if not query:
        return queryset
    try:
        validate_email(query)
    except ValidationError:
        matches = Q()
        for field in SEARCH_FIELDS:
            matches |= Q(**{f"{field}__icontains": query})
        return queryset.filter(matches)
    return queryset.filter(resident_email__iexact=query)


def scope_key(user):
    """Names the user and the clubs whose enquiries they may read, for cache keys."""
    clubs = ["*"] if user.is_superuser else sorted(enquiry_policy.club_paths(user, ["view"]))
    return f"{user.pk}:{hashlib.sha256('|'.join(clubs).encode()).hexdigest()}"


def whole_inbox_count_key(user):
    """The cache key of the user's total: it changes when an enquiry arrives or is deleted."""
    newest = EnquirySubmission.objects.aggregate(newest=Max("pk"))["newest"]
    deletions = cache.get(DELETIONS_KEY, 0)
    return f"kis_forms:inbox-count:{scope_key(user)}:{newest}:{deletions}"


def note_deletion(**kwargs):
    """Connected to post_delete of enquiries: cached inbox totals no longer hold."""
    try:
        cache.incr(DELETIONS_KEY)
    except ValueError:  # not counted yet, or evicted
        cache.set(DELETIONS_KEY, 1, None)


class InboxPaginator(WagtailPaginator):
    """Wagtail's paginator, taking the total from the cache when given a `count_key`."""

    def __init__(self, *args, count_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        count = cache.get(self.count_key)
        if count is None:
            count = super().count
            cache.set(self.count_key, count, COUNT_CACHE_SECONDS)
        return count


def filter_choices_key(user):
    """The cache key of own_choices(user)."""
    return f"kis_forms:inbox-choices:{scope_key(user)}"


def own_choices(user):
    """(pk, label) of the forms, workers and assignees found among the user's enquiries.

    Each candidate is checked for one enquiry (an index lookup) rather than collected from
    every enquiry. The lists are cached for a few minutes under the user's clubs, so a
    changed grant counts at once and the lookups do not run on every page of the inbox.
    """
    key = filter_choices_key(user)
    choices = cache.get(key)
    if choices is None:
        mine = enquiry_policy.instances_user_has_permission_for(user, "view")
        candidates = {
            "page": enquiry_policy.pages_in_scope(user, ["view"])
            .filter(Exists(EnquirySubmission.objects.filter(page=OuterRef("pk"))))
            .order_by("title"),
            "worker": SocialWorker.objects.filter(Exists(mine.filter(worker=OuterRef("pk")))),
            "assignee": get_user_model()
            .objects.filter(Exists(mine.filter(assignee=OuterRef("pk"))))
            .order_by("first_name", "last_name", "username"),
        }
        choices = {
            name: [(instance.pk, str(instance)) for instance in queryset]
            for name, queryset in candidates.items()
        }
        cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


def worker_notification_state(enquiry):
    """The state of the e-mail to the worker, annotated on each row by `with_listing_data`."""
    if not enquiry.worker_notification:
        return ""
    return Notification.State(enquiry.worker_notification).label
