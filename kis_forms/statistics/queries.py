"""The year's figures about enquiries, each from one SQL aggregate over the enquiries in scope.

Every function takes a `Selection`: the enquiries the user may read (already narrowed to a
club or a form), the forms among them and the year. None reads rows one by one: the
number of queries is the same whatever the number of enquiries. Months and days are
counted in the site's time zone (Europe/Warsaw), so an enquiry sent at 00:30 on 1 January
Polish time belongs to the new year, though it is still 31 December in UTC.
"""

import datetime
import functools
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Field,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractMonth, TruncDate
from django.db.models.functions.window import RowNumber
from django.utils import timezone

from kis_forms.intake.working_days import add_working_days
from kis_forms.models import EnquirySubmission, FormField, Notification
from kis_pages.models import SocialWorker

SPAM = EnquirySubmission.Status.SPAM
# Answers of these fields are one text each; a multiple choice is a list, left out.
TOPIC_FIELD_TYPES = ["dropdown", "radio"]
PERCENTILES = (50, 90)  # per cent


@dataclass
class Selection:
    """What a report covers: `enquiries` (scoped, any year), their `forms` and the `year`.

    `forms` maps each form page's id to its `reply_within_days`.
    """

    enquiries: object
    forms: dict
    year: int

    def bounds(self, year=None):
        """The start of `year` and of the next one, in the site's time zone, as datetimes."""
        year = self.year if year is None else year
        zone = timezone.get_default_timezone()
        return (
            datetime.datetime(year, 1, 1, tzinfo=zone),
            datetime.datetime(year + 1, 1, 1, tzinfo=zone),
        )

    def of_year(self):
        start, end = self.bounds()
        return self.enquiries.filter(submit_time__gte=start, submit_time__lt=end)


def local(function, field):
    return function(field, tzinfo=timezone.get_default_timezone())


def worker_names(ids):
    """{id: name} of the social workers with these ids."""
    return dict(SocialWorker.objects.filter(pk__in=ids).values_list("pk", "name"))


def topic_fields(selection):
    """{clean name: label} of the single-choice fields of the forms in the selection."""
    fields = FormField.objects.filter(
        page_id__in=list(selection.forms), field_type__in=TOPIC_FIELD_TYPES
    ).order_by("sort_order", "pk")
    found = {}
    for clean_name, label in fields.values_list("clean_name", "label"):
        found.setdefault(clean_name, label)
    return found


def topics(selection, fields):
    """{(clean name, answer): enquiries} for the year, not spam, for each field of `fields`,
    in one query. Anonymised enquiries keep these answers (kis_forms.privacy.anonymise), so
    they count.
    """
    if not fields:
        return {}
    year = selection.of_year().exclude(status=SPAM).order_by()
    per_field = [
        year.annotate(field=Value(name, output_field=CharField()))
        .annotate(answer=KeyTextTransform(name, "form_data"))
        .filter(answer__isnull=False)
        .values("field", "answer")
        .annotate(total=Count("*"))
        for name in fields
    ]
    rows = per_field[0].union(*per_field[1:], all=True)
    return {(row["field"], row["answer"]): row["total"] for row in rows}


def nearest_rank(count, share):
    """⌈count·share/100⌉ in whole numbers, alike in Python and in SQL on every database."""
    return (count * share + 99) / 100 if isinstance(count, F) else (count * share + 99) // 100


class NearestRanks(Aggregate):
    """PostgreSQL's percentile_disc over an array of shares: the values at ranks ⌈p·n⌉ of
    the group, every percentile from one sort. A plain Field: psycopg gives the list of
    timedeltas, and django.contrib.postgres's ArrayField would need psycopg on SQLite too."""

    function = "percentile_disc"
    template = "%(function)s(%(shares)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, shares, **extra):
        listed = ", ".join(str(share / 100) for share in shares)
        super().__init__(expression, shares=f"ARRAY[{listed}]", output_field=Field(), **extra)


def waited(moment):
    return ExpressionWrapper(F(moment) - F("submit_time"), output_field=DurationField())


def reply_times(selection):
    """{month: (handled, median, 90th percentile, closed, median, 90th percentile)}: the
    time from arrival to first handling and to closing, of the year's enquiries (not spam),
    in tenths of an hour.

    The nearest-rank percentile, the duration at rank ⌈p·n⌉ of the month's n: one ordered-set
    aggregate on PostgreSQL; elsewhere, window functions pick those rows.
    """
    if connections[selection.enquiries.db].vendor != "postgresql":
        handled = ranked_percentiles(selection, "first_handled_at")
        closed = ranked_percentiles(selection, "closed_at")
        empty = (0, None, None)
        return {
            month: (*handled.get(month, empty), *closed.get(month, empty))
            for month in handled.keys() | closed.keys()
        }
    rows = (
        selection.of_year()
        .exclude(status=SPAM)
        .order_by()
        .annotate(month=local(ExtractMonth, "submit_time"))
        .values_list("month")
        .annotate(
            handled=Count("first_handled_at"),
            handled_times=NearestRanks(waited("first_handled_at"), PERCENTILES),
            closed=Count("closed_at"),
            closed_times=NearestRanks(waited("closed_at"), PERCENTILES),
        )
    )
    none = [None] * len(PERCENTILES)
    return {
        month: (
            handled,
            *map(tenths, handled_times or none),
            closed,
            *map(tenths, closed_times or none),
        )
        for month, handled, handled_times, closed, closed_times in rows
    }


TENTH = datetime.timedelta(minutes=6)


def tenths(duration):
    """A duration in tenths of an hour, rounded half away from zero as PostgreSQL's round()
    (the tallies' waiting times, kis_forms.statistics.tallies), or None."""
    if duration is None:
        return None
    whole, rest = divmod(abs(duration), TENTH)
    return (1 if duration >= datetime.timedelta(0) else -1) * (whole + (rest * 2 >= TENTH))


def ranked_percentiles(selection, moment):
    """{month: (enquiries, median, 90th percentile)} of the time from arrival to `moment`,
    picked by window functions, so only those rows leave the database."""
    month = local(ExtractMonth, "submit_time")
    ranked = (
        selection.of_year()
        .exclude(status=SPAM)
        .filter(**{f"{moment}__isnull": False})
        .order_by()
        .annotate(month=month, wait=waited(moment))
        .annotate(
            rank=Window(RowNumber(), partition_by=[month], order_by=[F("wait").asc(), "pk"]),
            count=Window(Count("*"), partition_by=[month]),
        )
    )
    picked = Q()
    for share in PERCENTILES:
        picked |= Q(rank=nearest_rank(F("count"), share))
    found = {}
    for month_number, rank, count, duration in ranked.filter(picked).values_list(
        "month", "rank", "count", "wait"
    ):
        found.setdefault(month_number, {"count": count})
        for share in PERCENTILES:
            if rank == nearest_rank(count, share):
                found[month_number][share] = tenths(duration)
    return {
        number: (values["count"], *(values.get(share) for share in PERCENTILES))
        for number, values in found.items()
    }


@functools.lru_cache(maxsize=4096)
def reply_by(arrival, days):
    """The date promised on the landing page; kept, as each report asks it for every day."""
    return add_working_days(arrival, days)


@dataclass
class Tally:
    """Counts of one scan: per (year, month), per status and worker (this year; workers
    without spam), and by the reply-by date: in time, late, not yet due (without spam)."""

    months: Counter = field(default_factory=Counter)
    spam: Counter = field(default_factory=Counter)  # per month of this year
    statuses: Counter = field(default_factory=Counter)
    workers: Counter = field(default_factory=Counter)
    promptness: Counter = field(default_factory=Counter)


def tally(selection, today=None):
    """The `Tally` of the year and the one before, in one query.

    The database counts the enquiries per form, status, worker, day of arrival and (this
    year) day of first handling: a few thousand groups in a busy year, however many
    enquiries. The reply-by date needs Poland's holidays, which SQL does not know, so each
    group is compared with its date here.
    """
    start, end = selection.bounds()
    groups = (
        selection.enquiries.filter(submit_time__gte=selection.bounds(selection.year - 1)[0])
        .filter(submit_time__lt=end)
        .order_by()
        .annotate(
            arrival=local(TruncDate, "submit_time"),
            handled=Case(
                When(submit_time__gte=start, then=local(TruncDate, "first_handled_at")),
                output_field=DateField(),
            ),
        )
        .values_list("page_id", "status", "worker_id", "arrival", "handled")
        .annotate(total=Count("*"))
    )
    return count_groups(selection, groups, today)


def count_groups(selection, groups, today=None):
    """The `Tally` of `groups`: (form, status, worker, day of arrival, day first handled,
    enquiries), this year's and the year before's."""
    today = today or timezone.localdate()
    counted = Tally()
    for form_id, status, worker, arrival, handled, total in groups:
        if count_arrivals(counted, selection, arrival, status, worker, total):
            judge(counted, reply_by(arrival, selection.forms[form_id]), handled, today, total)
    return counted


def count_arrivals(counted, selection, month, status, worker, total):
    """Add `total` enquiries that arrived in `month` (a date) to `counted`: every month for
    the comparison with the year before; the selected year's also by status and, unless
    spam, by worker. Returns whether they count further (the year's, not spam)."""
    counted.months[month.year, month.month] += total
    if month.year != selection.year:
        return False
    counted.statuses[status] += total
    if status == SPAM:
        counted.spam[month.month] += total
        return False
    counted.workers[worker] += total
    return True


def judge(counted, due, handled, today, total):
    """Count `total` enquiries due on `due` and first handled on `handled` (None: not yet)
    as handled in time, late, or not yet due."""
    if handled is not None:
        counted.promptness["in_time" if handled <= due else "late"] += total
    else:
        counted.promptness["late" if due < today else "waiting"] += total


def notifications(selection):
    """{state: e-mails} and how many needed more than one attempt, for the year's enquiries."""
    start, end = selection.bounds()
    return Notification.objects.filter(
        submission__in=selection.enquiries.filter(
            submit_time__gte=start, submit_time__lt=end
        ).values("pk")
    ).aggregate(
        sent=Count("pk", filter=Q(state=Notification.State.SENT)),
        retried=Count("pk", filter=Q(attempts__gt=1)),
        given_up=Count("pk", filter=Q(state=Notification.State.GIVEN_UP)),
        failing=Count("pk", filter=Q(state=Notification.State.FAILING)),
        queued=Count("pk", filter=Q(state=Notification.State.QUEUED)),
    )
