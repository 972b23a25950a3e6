"""The promised reply-by date of every enquiry, as one SQL expression.

The date is `add_working_days(arrival, form.reply_within_days)` (weekends and Poland's
public holidays skipped), which SQL cannot compute. It is computed here in Python for
each day of the year, days with the same deadline joined into a range, and the ranges
written as CASE expressions nested as a balanced binary search: each row reads about
log2(250) comparisons, not a 365-branch CASE.
"""

import datetime

from django.db.models import Case, DateField, Value, When

from ..working_days import add_working_days


def deadline_ranges(start, end, days):
    """[(first day, deadline)] for arrivals from `start` to `end` (exclusive), one per deadline."""
    ranges = []
    day = start
    while day < end:
        due = add_working_days(day, days)
        if not ranges or ranges[-1][1] != due:
            ranges.append((day, due))
        day += datetime.timedelta(days=1)
    return ranges


def search_tree(ranges, arrival):
    """A CASE expression giving the deadline of the range the `arrival` field falls in."""
    if len(ranges) == 1:
        return Value(ranges[0][1], output_field=DateField())
    middle = len(ranges) // 2
    return Case(
        When(**{f"{arrival}__lt": ranges[middle][0]}, then=search_tree(ranges[:middle], arrival)),
        default=search_tree(ranges[middle:], arrival),
        output_field=DateField(),
    )


def deadline_expression(forms, start, end, arrival="arrival"):
    """The reply-by date of enquiries arriving from `start` to `end`, by their form's days.

    `forms` maps a form page's id to its `reply_within_days`; `arrival` names the annotated
    local date of arrival.
    """
    by_days = {}
    for form_id, days in forms.items():
        by_days.setdefault(days, []).append(form_id)
    whens = [
        When(page_id__in=form_ids, then=search_tree(deadline_ranges(start, end, days), arrival))
        for days, form_ids in sorted(by_days.items())
    ]
    return Case(*whens, default=None, output_field=DateField())
