"""The year's figures read from the tallies PostgreSQL's triggers keep (migration 0013).

The same answers as kis_forms.statistics.queries, from a few thousand rows instead of a
club's whole year: 100,000 enquiries took four scans of 150-350 ms each on a loaded
machine. Each function sums tally rows with GROUP BY; percentiles are picked from the
counts per tenth of an hour, in order, which gives the nearest-rank value of the rounded
durations: rounding keeps their order, so the value at rank ⌈p·n⌉ is the same rounded.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import connections
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kis_forms.models import EnquiryTally, NotificationTally, TopicTally, WaitTally
from kis_forms.statistics.queries import (
    PERCENTILES,
    SPAM,
    Tally,
    count_arrivals,
    judge,
    nearest_rank,
    reply_by,
)

MEASURES = ("handled", "closed")


def kept(selection):
    """Whether the database keeps the tallies (PostgreSQL) in the site's time zone, so the
    report may read them; one query."""
    connection = connections[selection.enquiries.db]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT kis_statistics_zone()")
        return cursor.fetchone()[0] == settings.TIME_ZONE


def months_of(selection, year=None):
    """Tally rows of the selection's forms in `year` (by default the selection's)."""
    year = selection.year if year is None else year
    return {
        "page_id__in": list(selection.forms),
        "month__gte": datetime.date(year, 1, 1),
        "month__lt": datetime.date(year + 1, 1, 1),
    }


def tally(selection, today=None):
    """As queries.tally, in two queries: the counts per month, status and worker of both
    years, and this year's days of arrival and first handling (not spam) for the reply-by
    check, so Python reads a few hundred rows per form, not one per day and status."""
    today = today or timezone.localdate()
    counted = Tally()
    forms = list(selection.forms)
    months = (
        EnquiryTally.objects.filter(
            page_id__in=forms,
            arrival__gte=datetime.date(selection.year - 1, 1, 1),
            arrival__lt=datetime.date(selection.year + 1, 1, 1),
        )
        .order_by()
        .annotate(month=TruncMonth("arrival"))
        .values_list("month", "status", "worker_id")
        .annotate(total=Sum("total"))
    )
    for month, status, worker, total in months:
        count_arrivals(counted, selection, month, status, worker, total)
    days = (
        EnquiryTally.objects.filter(
            page_id__in=forms,
            arrival__gte=datetime.date(selection.year, 1, 1),
            arrival__lt=datetime.date(selection.year + 1, 1, 1),
        )
        .exclude(status=SPAM)
        .order_by()
        .values_list("page_id", "arrival", "handled")
        .annotate(total=Sum("total"))
    )
    for form_id, arrival, handled, total in days:
        judge(counted, reply_by(arrival, selection.forms[form_id]), handled, today, total)
    return counted


def topics(selection, fields):
    """As queries.topics: {(clean name, answer): enquiries} of the fields in `fields`."""
    if not fields:
        return {}
    rows = (
        TopicTally.objects.filter(**months_of(selection), field__in=list(fields))
        .order_by()
        .values_list("field", "answer")
        .annotate(total=Sum("total"))
    )
    return {(field, answer): total for field, answer, total in rows}


def reply_times(selection):
    """As queries.reply_times: per month, the counts and nearest-rank percentiles, in
    tenths of an hour, of the time to first handling and to closing."""
    rows = (
        WaitTally.objects.filter(**months_of(selection))
        .order_by()
        .values_list("month", "measure", "tenths")
        .annotate(total=Sum("total"))
        .order_by("month", "measure", "tenths")
    )
    counts = defaultdict(list)
    for month, measure, tenths, total in rows:
        counts[month.month, measure].append((tenths, total))
    found = {}
    for month in {month for month, _measure in counts}:
        found[month] = tuple(
            figure for measure in MEASURES for figure in picked(counts.get((month, measure), []))
        )
    return found


def picked(counts):
    """(n, the values at ranks ⌈p·n⌉ for each percentile) of sorted (value, count) pairs."""
    total = sum(count for _value, count in counts)
    values = []
    for share in PERCENTILES:
        rank, seen = nearest_rank(total, share), 0
        value = None
        for value_here, count in counts:
            seen += count
            if seen >= rank:
                value = value_here
                break
        values.append(value if total else None)
    return (total, *values)


def notifications(selection):
    """As queries.notifications: {state: e-mails} and how many were retried."""
    rows = (
        NotificationTally.objects.filter(**months_of(selection))
        .order_by()
        .values_list("state", "retried")
        .annotate(total=Sum("total"))
    )
    found = dict.fromkeys(["sent", "retried", "given_up", "failing", "queued"], 0)
    for state, retried, total in rows:
        found[state] += total
        if retried:
            found["retried"] += total
    return found
