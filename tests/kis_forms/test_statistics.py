"""Reports › Statistics counts a known year exactly, in the page, its XLSX and CSV exports and
the API, with a constant number of queries.

The year (2025, at Kędzierzyn-Koźle, replies promised within two working days) holds
enquiries on a public holiday, a Saturday before Epiphany, the days before Christmas Eve
(a holiday since 2025), both sides of New Year's midnight in Polish time, spam, enquiries
anonymised by the purge and erased at a data subject's request. Spam counts in the months
and statuses, never in topics, workers or reply times; anonymised and erased enquiries
count everywhere, with the topic they kept.
"""

import csv
import datetime
import importlib
import io
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from wagtail.models import APIToken, PageLogEntry

from kis_forms.inbox import handling
from kis_forms.models import EnquiryFormPage, EnquirySubmission, Notification
from kis_forms.permissions import VIEW
from kis_forms.privacy.anonymise import anonymise
from kis_forms.privacy.retention import purge

from ..utils import make_enquiry, make_worker
from .conftest import admin_user, logged_in

WARSAW = ZoneInfo("Europe/Warsaw")
YEAR = 2025
REPORT = "kis_statistics:index"
API = "/api/v3/statistics/"
OTHER_TOPIC = "prace społecznie użyteczne"
LONG_AFTER = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)  # every period has passed


def at(*parts):
    return datetime.datetime(*parts, tzinfo=WARSAW)


@contextmanager
def clock_at(moment):
    """Django's clock, for the handling and its history, stopped at `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(datetime.UTC)):
        yield


def set_status(enquiry, status, moment, user):
    with clock_at(moment):
        handling.change_status([EnquirySubmission.objects.get(pk=enquiry.pk)], status, user)


def note(enquiry, moment, user):
    with clock_at(moment):
        handling.add_note(enquiry, "Oddzwonię.", user)


def notify(enquiry, state, attempts):
    Notification.objects.create(
        submission=enquiry, kind=Notification.Kind.WORKER, state=state, attempts=attempts
    )


@pytest.fixture
def kk_moderator_view(django_user_model, clubs):
    return admin_user(django_user_model, "statystyki-kk", clubs["kk"], VIEW)


@pytest.fixture
def known_year(kk_form, clubs, kk_moderator):
    """The year described in the module's docstring; each enquiry's fate in a comment."""
    EnquiryFormPage.objects.filter(pk=kk_form.pk).update(reply_within_days=2)
    other = make_worker(name="Jan Zastępczy")
    sent = {}

    def send(name, moment, **fields):
        sent[name] = make_enquiry(kk_form, submit_time=moment, **fields)
        return sent[name]

    mod = kk_moderator
    # 1 January 00:30, a holiday: due Friday 3 January; handled then.
    set_status(send("a", at(2025, 1, 1, 0, 30)), "in_progress", at(2025, 1, 3, 10), mod)
    notify(sent["a"], Notification.State.SENT, 1)
    # 31 December 2024 23:30 Polish time (22:30 UTC): the year before.
    notify(send("b", at(2024, 12, 31, 23, 30)), Notification.State.SENT, 1)
    # Saturday 4 January: Epiphany on Monday, due Wednesday the 8th; a note that day.
    note(send("c", at(2025, 1, 4, 12)), at(2025, 1, 8, 16), mod)
    set_status(sent["c"], "closed", at(2025, 1, 10, 12), mod)
    notify(sent["c"], Notification.State.SENT, 3)
    # Friday 10 January: due Tuesday the 14th; handled a day late, by another worker.
    form_data = {**sent["a"].form_data, "temat": OTHER_TOPIC}
    set_status(
        send("d", at(2025, 1, 10, 9), worker=other, form_data=form_data),
        "in_progress",
        at(2025, 1, 15, 9),
        mod,
    )
    notify(sent["d"], Notification.State.GIVEN_UP, 5)
    # Spam in March: counted in March and as spam, nowhere else.
    send("e", at(2025, 3, 5, 12), status="spam")
    # Closed at once, then anonymised by the purge.
    set_status(send("f", at(2025, 3, 6, 8)), "closed", at(2025, 3, 6, 10), mod)
    # Never handled, erased at the resident's request.
    anonymise([send("g", at(2025, 3, 7, 12))], user=mod, reason="request")
    # Tuesday 23 December: Christmas Eve and both days of Christmas off, due Tuesday the 30th.
    set_status(send("j", at(2025, 12, 23, 10)), "in_progress", at(2025, 12, 29, 9), mod)
    # 31 December 23:59 Polish time: still 2025; never handled, so late. 1 January 2026
    # 00:30 Polish time, though 31 December in UTC: the next year.
    send("h", at(2025, 12, 31, 23, 59))
    send("i", at(2026, 1, 1, 0, 30))
    list(purge(LONG_AFTER))
    return {name: EnquirySubmission.objects.get(pk=e.pk) for name, e in sent.items()}


MONTHS = {1: (3, 0, 0), 3: (3, 0, 1), 12: (2, 1, 0)}  # month: (2025, 2024, spam in 2025)
STATUSES = [2, 3, 0, 2, 1]  # new, in progress, answered, closed, spam
HOURS = {1: (3, 100.0, 120.0, 1, 144.0, 144.0), 3: (1, 2.0, 2.0, 1, 2.0, 2.0)}
HOURS[12] = (1, 143.0, 143.0, 0, None, None)
SUMMARY = [8, 1, 12.5, 4, 3, 0, 57.1]
NOTIFICATIONS = [2, 2, 1, 0, 0]  # sent, retried, given up, failing, queued


def expected_rows(default_worker):
    """The tables' rows, month names and labels aside, as the year above gives them."""
    return {
        "months": [list(MONTHS.get(month, (0, 0, 0))) for month in range(1, 13)],
        "statuses": [[count] for count in STATUSES],
        "topics": [["udział w Klubie", 6], [OTHER_TOPIC, 1]],
        "workers": [[default_worker, 6], ["Jan Zastępczy", 1]],
        "summary": [[value] for value in SUMMARY],
        "speed": [list(HOURS.get(month, (0, None, None, 0, None, None))) for month in range(1, 13)],
        "notifications": [[count] for count in NOTIFICATIONS],
    }


def figures_of(rows, key):
    """A table's rows without the label column (the worker's and topic's labels are figures)."""
    if key in ("topics", "workers"):
        return [row[-2:] if key == "topics" else row for row in rows]
    return [row[1:] for row in rows]


def test_a_known_year_is_counted_exactly_in_every_table(known_year, kk_moderator, kk_form):
    """Every figure of the page is the one the year's enquiries give, day by Polish day."""
    response = logged_in(kk_moderator).get(reverse(REPORT), {"year": YEAR})
    tables = {table.key: table for table, _chart in response.context["sections"]}
    for key, rows in expected_rows(kk_form.default_worker.name).items():
        assert figures_of(tables[key].rows, key) == rows, key


def test_a_table_without_a_chart_shows_its_title_once(known_year, kk_moderator):
    """Its section's heading names it; a caption repeating the title is only beside a chart."""
    response = logged_in(kk_moderator).get(reverse(REPORT), {"year": YEAR})
    page = response.content.decode()
    for table, chart in response.context["sections"]:
        if chart is None:
            assert page.count(f">{table.title}<") == 1, table.key
            assert f'aria-labelledby="kis-stat-{table.key}"' in page


def test_the_purge_and_an_erasure_keep_what_the_report_counts(known_year):
    """The anonymised and erased enquiries of the known year lost their personal data."""
    for name in ("c", "f", "g"):
        assert known_year[name].anonymised_at is not None
        assert known_year[name].resident_name == ""


def test_the_exports_hold_every_figure_of_the_page(known_year, kk_moderator, kk_form):
    """XLSX has a sheet per table and CSV every table, with the page's very figures."""
    client = logged_in(kk_moderator)
    page = client.get(reverse(REPORT), {"year": YEAR})
    tables = [table for table, _chart in page.context["sections"]]
    xlsx = client.get(reverse(REPORT), {"year": YEAR, "export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == [table.sheet for table in tables]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse(REPORT), {"year": YEAR, "export": "csv"}).content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    for table, sheet in zip(tables, workbook.worksheets, strict=True):
        cells = [[plain(v) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert cells == [[plain(v) for v in row] for row in table.rows], table.key
        start = csv_rows.index([table.title])
        shown = csv_rows[start + 2 : start + 2 + len(table.rows)]
        assert shown == [["" if v is None else str(v) for v in row] for row in table.rows]


def plain(value):
    """A cell as XLSX gives it back: numbers as floats, nothing as ""."""
    if value is None or value == "":
        return ""
    return float(value) if isinstance(value, int | float | Decimal) else value


def test_an_export_is_written_to_the_clubs_history(known_year, kk_moderator, clubs):
    """Each export names its format and year in the history of the club it covers, only."""
    logged_in(kk_moderator).get(reverse(REPORT), {"year": YEAR, "export": "csv"})
    entries = PageLogEntry.objects.filter(action="kis_forms.statistics.export")
    assert [(e.page_id, e.data) for e in entries] == [
        (clubs["kk"].pk, {"format": "csv", "year": YEAR})
    ]
    assert entries[0].user_id == kk_moderator.pk


def test_the_api_gives_the_same_figures(known_year, kk_moderator):
    """API v3's statistics for a staff token: the page's figures, durations in hours."""
    _token, key = APIToken.create_token(user=kk_moderator, name="statystyki")
    answer = (
        logged_in(kk_moderator).get(API, {"year": YEAR}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    )
    assert (answer["enquiries"], answer["spam"]) == (8, 1)
    assert [m["enquiries"] for m in answer["months"]][:3] == [3, 0, 3]
    assert answer["months"][11]["previous_year"] == 1
    january = answer["reply_speed"][0]
    assert (january["median_hours_to_handling"], january["p90_hours_to_handling"]) == (100, 120)
    assert (answer["handled_in_time"], answer["handled_late"]) == (4, 3)
    assert answer["notifications"] == dict(
        zip(["sent", "retried", "given_up", "failing", "queued"], NOTIFICATIONS, strict=True)
    )


def one_club_year(form, count):
    for number in range(count):
        enquiry = make_enquiry(form, submit_time=at(YEAR, 1 + number % 12, 10, 12))
        notify(enquiry, Notification.State.SENT, 1)


@pytest.mark.parametrize("count", [3, 30])
def test_the_report_runs_the_same_queries_whatever_the_number_of_enquiries(
    count, kk_form, kk_moderator_view, django_assert_num_queries
):
    """The page's figures are aggregates: as many queries for 30 enquiries as for 3."""
    one_club_year(kk_form, count)
    client = logged_in(kk_moderator_view)
    client.get(reverse(REPORT))  # the session and Wagtail's own first-request lookups
    with django_assert_num_queries(QUERIES.get(connection.vendor, 23)):
        assert client.get(reverse(REPORT), {"year": YEAR}).status_code == 200


# 10 to 13 for the figures (with the grants and scope), the rest the admin's own. PostgreSQL
# checks the tallies' time zone and reads the tallies its triggers keep, the counts in two
# queries and the reply times in one; other databases count in one query and pick the
# percentiles in two window queries.
QUERIES = {"postgresql": 24}


def test_enquiries_handled_before_the_upgrade_get_their_times_from_history(kk_form, kk_moderator):
    """The migration reads first handling and closing from each enquiry's history."""
    enquiry = make_enquiry(kk_form, submit_time=at(YEAR, 2, 3, 9))
    note(enquiry, at(YEAR, 2, 3, 11), kk_moderator)
    set_status(enquiry, "closed", at(YEAR, 2, 4, 9), kk_moderator)
    set_status(enquiry, "in_progress", at(YEAR, 2, 5, 9), kk_moderator)
    set_status(enquiry, "closed", at(YEAR, 2, 6, 9), kk_moderator)
    EnquirySubmission.objects.update(first_handled_at=None, closed_at=None)
    migration = importlib.import_module("kis_forms.migrations.0010_first_handled_and_closed")
    migration.from_history(apps, None)
    enquiry.refresh_from_db()
    assert (enquiry.first_handled_at, enquiry.closed_at) == (at(YEAR, 2, 3, 11), at(YEAR, 2, 4, 9))
