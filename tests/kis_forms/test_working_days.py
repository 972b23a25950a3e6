"""The date a resident is promised an answer by skips weekends and Poland's public holidays."""

import datetime

import pytest

from kis_forms.intake.working_days import add_working_days


@pytest.mark.parametrize(
    ("received", "days", "reply_by"),
    [
        # An ordinary week: Friday + 1 is Monday.
        (datetime.date(2026, 10, 16), 1, datetime.date(2026, 10, 19)),
        # Easter: Good Friday is a working day, Easter Monday is not.
        (datetime.date(2026, 4, 2), 2, datetime.date(2026, 4, 7)),
        # Christmas Eve (a holiday since 2025), Christmas and the weekend after it.
        (datetime.date(2026, 12, 23), 1, datetime.date(2026, 12, 28)),
        # 1 and 3 May around a weekend, and Corpus Christi (a Thursday).
        (datetime.date(2026, 4, 30), 1, datetime.date(2026, 5, 4)),
        (datetime.date(2026, 6, 3), 1, datetime.date(2026, 6, 5)),
        # New Year's Day and Epiphany.
        (datetime.date(2026, 12, 31), 3, datetime.date(2027, 1, 7)),
    ],
)
def test_the_reply_date_skips_weekends_and_public_holidays(received, days, reply_by):
    assert add_working_days(received, days) == reply_by
