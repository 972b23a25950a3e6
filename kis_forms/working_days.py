"""Reply deadlines counted in working days (Monday to Friday)."""

import datetime

SATURDAY = 5


def add_working_days(start, days):
    """The date `days` working days after `start`, skipping Saturdays and Sundays."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < SATURDAY:
            remaining -= 1
    return current
