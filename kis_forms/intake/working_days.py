"""Reply deadlines counted in working days: Monday to Friday, except Poland's public holidays
(ustawa o dniach wolnych od pracy, with Christmas Eve since 2025), as the holidays package
keeps them."""

import datetime
import functools

import holidays

SATURDAY = 5


@functools.cache
def public_holidays():
    """Poland's public holidays, one calendar per process; it adds each year when first asked."""
    return holidays.Poland()


def add_working_days(start, days):
    """The date `days` working days after `start`, skipping weekends and public holidays."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < SATURDAY and current not in public_holidays():
            remaining -= 1
    return current
