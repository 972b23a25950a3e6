"""Moderators download the filtered inbox as CSV or XLSX: only their club's, and logged."""

import csv
import io

import openpyxl
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import GroupPagePermission, ModelLogEntry, Page

from kis_forms.inbox.log_actions import EXPORT_ACTION
from kis_forms.inbox.viewset import EnquiryInboxViewSet
from kis_forms.models import EnquiryExport, EnquirySubmission, ExportedEnquiry, Notification
from kis_forms.permissions import VIEW
from kis_pages.models import SocialWorker

from ..utils import enquiry_answers, make_enquiry
from .conftest import admin_user, assert_refused, logged_in, url

COLUMNS = EnquiryInboxViewSet.list_export
FORMULA = '=HYPERLINK("http://zly.example/","Kliknij")'


def export(client, export_format, **params):
    response = client.get(url("index"), {**params, "export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(client, **params):
    """The CSV's rows as dicts by column, after checking it starts with a byte order mark."""
    text = export(client, "csv", **params).decode("utf-8")
    assert text.startswith("\ufeff")
    _headings, *rows = csv.reader(io.StringIO(text[1:]), delimiter=";")
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def xlsx_cells(client, **params):
    """The XLSX's cells (openpyxl's, to see their type) as dicts by column."""
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx", **params)))
    _headings, *rows = workbook.active.iter_rows()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def listed(client, **params):
    """The references the inbox listing shows with the same filters and search."""
    response = client.get(url("index"), params)
    return [enquiry.reference for enquiry in response.context["object_list"]]


def test_the_csv_export_holds_exactly_the_filtered_listing(enquiries, kk_form, kk_moderator):
    make_enquiry(kk_form, status=EnquirySubmission.Status.IN_PROGRESS)
    make_enquiry(kk_form, status=EnquirySubmission.Status.IN_PROGRESS)
    make_enquiry(kk_form, status=EnquirySubmission.Status.CLOSED)
    client = logged_in(kk_moderator)
    listing = client.get(url("index"), {"status": "in_progress"}).content.decode()
    for export_format in ("csv", "xlsx"):
        assert f'href="{url("index")}?status=in_progress&amp;export={export_format}"' in listing
    rows = csv_rows(client, status="in_progress")
    assert len(rows) == 2
    assert [row["reference"] for row in rows] == listed(client, status="in_progress")


def test_the_xlsx_export_holds_exactly_the_search_results(enquiries, kk_form, kk_moderator):
    wanted = make_enquiry(kk_form, resident_email="szukana@example.org")
    make_enquiry(kk_form)
    client = logged_in(kk_moderator)
    rows = xlsx_cells(client, q="szukana@")
    assert [row["reference"].value for row in rows] == [wanted.reference]
    assert listed(client, q="szukana@") == [wanted.reference]


def test_a_control_character_a_resident_typed_does_not_break_the_xlsx_export(
    enquiries, kk_form, kk_moderator
):
    wanted = make_enquiry(kk_form, resident_name="Jan\x1b[31m Kowalski\x0c")
    rows = xlsx_cells(logged_in(kk_moderator), q=wanted.reference)
    assert rows[0]["resident_name"].value == "Jan\ufffd[31m Kowalski\ufffd"


def test_each_row_has_the_enquirys_details_and_answers_with_polish_letters(enquiries, kk_moderator):
    enquiry = enquiries["kk"]
    notification = enquiry.notifications.get(kind=Notification.Kind.WORKER)
    client = logged_in(kk_moderator)
    (row,) = csv_rows(client)
    (cells,) = xlsx_cells(client)
    values = {field: cells[field].value or "" for field in COLUMNS}
    assert cells["submit_time"].is_date
    assert values["resident_phone"] == "+48600100200" and row["resident_phone"] == "'+48600100200"
    for field in set(COLUMNS) - {"submit_time", "resident_phone"}:
        assert values[field] == row[field], field
    assert row["reference"] == enquiry.reference
    assert row["club_title"] == enquiries["kk"].page.get_parent().title
    assert row["page.title"] == enquiry.page.title
    assert row["worker"] == str(enquiry.worker)
    assert row["status"] == "nowe"
    assert row["notification"] == notification.get_state_display()
    assert row["resident_name"] == "Mieszkaniec Koźla"
    answers = row["answers"].splitlines()
    assert "Imię i nazwisko: Mieszkaniec Koźla" in answers
    assert f"Wiadomość: {enquiry_answers()['wiadomosc']}" in answers


def test_the_other_clubs_enquiries_are_never_exported(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    other = enquiries["nysa"]
    for params in ({}, {"q": other.reference}, {"page": other.page_id}):
        in_csv = {row["reference"] for row in csv_rows(client, **params)}
        in_xlsx = {row["reference"].value for row in xlsx_cells(client, **params)}
        assert other.reference not in in_csv | in_xlsx, params
    assert {row["reference"] for row in csv_rows(client)} == {enquiries["kk"].reference}


def test_a_view_only_moderator_may_export(django_user_model, clubs, enquiries):
    reader = logged_in(admin_user(django_user_model, "czytelnik", clubs["kk"], VIEW))
    assert [row["reference"] for row in csv_rows(reader)] == [enquiries["kk"].reference]


def test_anonymous_visitors_are_sent_to_the_login(enquiries):
    for export_format in ("csv", "xlsx"):
        response = Client().get(url("index"), {"export": export_format})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_without_enquiry_permissions_cannot_export(django_user_model, clubs, enquiries):
    editor = admin_user(django_user_model, "redaktor")
    GroupPagePermission.objects.create(
        group=editor.groups.get(), page=clubs["kk"], permission_type="change"
    )
    for export_format in ("csv", "xlsx"):
        assert_refused(logged_in(editor).get(url("index"), {"export": export_format}))
    assert not ModelLogEntry.objects.filter(action=EXPORT_ACTION).exists()


def test_each_export_is_one_record_of_exactly_the_exported_enquiries_and_the_user(
    enquiries, kk_form, kk_moderator
):
    """An export is recorded once, with the enquiries it held, not once per enquiry."""
    closed = [make_enquiry(kk_form, status=EnquirySubmission.Status.CLOSED) for _ in range(3)]
    make_enquiry(kk_form, status=EnquirySubmission.Status.NEW)
    csv_rows(logged_in(kk_moderator), status="closed")
    xlsx_cells(logged_in(kk_moderator), status="closed")
    exports = EnquiryExport.objects.order_by("pk")
    assert [(export.user, export.export_format) for export in exports] == [
        (kk_moderator, "csv"),
        (kk_moderator, "xlsx"),
    ]
    for export in exports:
        held = ExportedEnquiry.objects.filter(export=export).values_list("submission", flat=True)
        assert sorted(held) == sorted(enquiry.pk for enquiry in closed)
    assert ModelLogEntry.objects.filter(action=EXPORT_ACTION).count() == len(exports)


def test_every_exported_enquirys_history_shows_each_export_by_whom_and_when(
    enquiries, kk_form, kk_moderator
):
    """From each enquiry's history a moderator sees every export that held it."""
    exported = [make_enquiry(kk_form, status=EnquirySubmission.Status.CLOSED) for _ in range(2)]
    left_out = make_enquiry(kk_form, status=EnquirySubmission.Status.NEW)
    client = logged_in(kk_moderator)
    csv_rows(client, status="closed")
    xlsx_cells(client, status="closed")
    with translation.override("pl"):
        shown = [
            gettext("Exported as %(format)s") % {"format": export_format}
            for export_format in ("CSV", "XLSX")
        ]
    for enquiry in exported:
        response = client.get(url("history", enquiry))
        history = response.content.decode()
        assert all(message in history for message in shown), enquiry
        entries = list(response.context["object_list"])
        exports = [entry for entry in entries if entry.action == EXPORT_ACTION]
        assert [(entry.user, entry.timestamp) for entry in exports] == [
            (export.user, export.exported_at)
            for export in EnquiryExport.objects.order_by("-exported_at", "-pk")
        ]
    history = client.get(url("history", left_out)).content.decode()
    assert not any(message in history for message in shown)


def test_another_clubs_moderator_sees_neither_the_history_nor_the_export(
    enquiries, kk_moderator, nysa_moderator
):
    """An export of one club's enquiries shows in no other club's history."""
    csv_rows(logged_in(kk_moderator))
    other = logged_in(nysa_moderator)
    assert_refused(other.get(url("history", enquiries["kk"])))
    response = other.get(url("history", enquiries["nysa"]))
    assert response.status_code == 200
    assert not [e for e in response.context["object_list"] if e.action == EXPORT_ACTION]


def test_a_formula_in_an_answer_stays_text(enquiries, kk_form, kk_moderator):
    answers = {**enquiry_answers(), "imie_i_nazwisko": FORMULA}
    make_enquiry(kk_form, form_data=answers, resident_name=FORMULA)
    client = logged_in(kk_moderator)
    (row,) = csv_rows(client, q="zly.example")
    assert row["resident_name"] == f"'{FORMULA}"
    (cells,) = xlsx_cells(client, q="zly.example")
    assert cells["resident_name"].value == FORMULA and cells["resident_name"].data_type == "s"


def test_a_title_or_name_that_starts_like_a_formula_stays_text(
    enquiries, clubs, kk_form, kk_moderator
):
    """Titles and names are checked once per export, not per row: still in every row."""
    make_enquiry(kk_form, assignee=kk_moderator)
    Page.objects.filter(pk=clubs["kk"].pk).update(title="=Klub")
    Page.objects.filter(pk=kk_form.pk).update(title="+Formularz")
    SocialWorker.objects.filter(pk=kk_form.default_worker_id).update(name="@Pracownik")
    kk_moderator.username = "-moderator"
    kk_moderator.save()
    rows = csv_rows(logged_in(kk_moderator))
    assert len(rows) == 2
    for row in rows:
        assert row["club_title"] == "'=Klub"
        assert row["page.title"] == "'+Formularz"
        assert row["worker"].startswith("'@Pracownik ")
    assert [row["assignee"] for row in rows if row["assignee"]] == ["'-moderator"]


def test_exporting_more_enquiries_takes_no_more_queries(enquiries, kk_form, kk_moderator):
    client = logged_in(kk_moderator)

    def queries_to_export():
        with CaptureQueriesContext(connection) as queries:
            csv_rows(client)
        return len(queries)

    queries_to_export()  # the first fills caches, e.g. content types
    few = queries_to_export()
    for _number in range(5):
        make_enquiry(kk_form)
    assert queries_to_export() == few


def test_an_enquiry_with_both_e_mails_failing_is_exported_once_with_the_workers_state(
    enquiries, kk_form, kk_moderator
):
    """Filtered by a failing e-mail, each enquiry is one row, showing the worker's e-mail."""
    failing = make_enquiry(kk_form)
    Notification.objects.create(
        submission=failing, kind=Notification.Kind.WORKER, state=Notification.State.GIVEN_UP
    )
    Notification.objects.create(
        submission=failing, kind=Notification.Kind.RESIDENT, state=Notification.State.FAILING
    )
    client = logged_in(kk_moderator)
    rows = csv_rows(client, notification_failing="true")
    cells = xlsx_cells(client, notification_failing="true")
    assert [row["reference"] for row in rows] == [failing.reference]
    assert [row["reference"].value for row in cells] == [failing.reference]
    assert rows[0]["notification"] == str(Notification.State.GIVEN_UP.label)
    held = ExportedEnquiry.objects.values_list("submission", flat=True)
    assert list(held) == [failing.pk, failing.pk]  # once in each of the two exports
