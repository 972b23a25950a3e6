"""What waits in a user's inbox: new enquiries, open ones nobody is assigned to, and those
whose e-mail did not go out, as the admin menu's badge (on every admin page) and the
dashboard's panel count them."""

from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, Sum

from kis_forms.inbox.listing import FAILING, OPEN
from kis_forms.lookups import one_of
from kis_forms.models import EnquirySubmission, InboxTally, Notification, UndeliveredTally
from kis_forms.permissions import enquiry_policy

NEW = EnquirySubmission.Status.NEW


def kept():
    """Whether the database keeps the tallies: PostgreSQL, with migration 0014's triggers."""
    return connections[InboxTally.objects.db].vendor == "postgresql"


def in_scope(tallies, user):
    """The tally rows of the forms `user` may read the enquiries of."""
    if user.is_active and user.is_superuser:
        return tallies
    forms = enquiry_policy.form_ids_in_scope(user, ["view"])
    return tallies.filter(one_of(tallies.model, "page_id", forms))


def new_count(user):
    """The new enquiries `user` may read, in one query."""
    if kept():
        tallies = in_scope(InboxTally.objects.filter(status=NEW), user)
        return tallies.aggregate(new=Sum("total", default=0))["new"]
    enquiries = enquiry_policy.instances_user_has_permission_for(user, "view")
    return enquiries.filter(status=NEW).count()


def waiting(user):
    """{"new", "unassigned", "failing"}: counts among the enquiries `user` may read.

    On PostgreSQL from the tallies its triggers keep (migration 0014), at most eleven rows
    per form, in two queries: at 300 clubs a regional admin's enquiries were 300,000 rows,
    counted in 150-500 ms. Elsewhere (SQLite, small installs) counted over the enquiries.
    """
    if kept():
        counts = in_scope(InboxTally.objects.all(), user).aggregate(
            new=Sum("total", filter=Q(status=NEW), default=0),
            unassigned=Sum("total", filter=Q(status__in=OPEN, assigned=False), default=0),
        )
        undelivered = in_scope(UndeliveredTally.objects.all(), user)
        counts["failing"] = undelivered.aggregate(failing=Sum("total", default=0))["failing"]
        return counts
    enquiries = enquiry_policy.instances_user_has_permission_for(user, "view")
    counts = enquiries.aggregate(
        new=Count("pk", filter=Q(status=NEW)),
        unassigned=Count("pk", filter=Q(status__in=OPEN, assignee__isnull=True)),
    )
    # A semi-join: joined, the rows came back once per notification and were made
    # distinct on every column, form data included.
    failing = Notification.objects.filter(submission=OuterRef("pk"), state__in=FAILING)
    counts["failing"] = enquiries.filter(Exists(failing)).count()
    return counts
