"""The inbox's export writes what Wagtail's own SpreadsheetExportMixin writes for the same
rows, but for the differences kis_forms/inbox/export.py makes on purpose: semicolons and a
byte order mark, a formula kept as text in the CSV, local time to the second, capitalised
headings. A Wagtail upgrade that changes its headings or how it writes values fails here.
"""

import csv
import datetime
import io

import openpyxl
from django.utils import timezone
from django.utils.text import capfirst
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from kis_forms.inbox.export import FORMULA_STARTS
from kis_forms.inbox.listing import with_listing_data, worker_notification_state
from kis_forms.inbox.viewset import EnquiryInboxViewSet
from kis_forms.models import EnquirySubmission

from ..utils import enquiry_answers, make_enquiry
from .conftest import logged_in, url

COLUMNS = EnquiryInboxViewSet.list_export
DATE_COLUMN = COLUMNS.index("submit_time")
# Wagtail's mixin reads each column as an attribute of the enquiry; these the inbox
# computes, so Wagtail's reads them from the model's own methods, set on each enquiry.
STOCK_PATHS = {
    "status": "get_status_display",
    "notification": "notification_label",
    "answers": "answers_text",
}
FORMULA = '=HYPERLINK("http://zly.example/","Kliknij")'


class StockExport(SpreadsheetExportMixin):
    """Wagtail's export as it ships, with the inbox's columns and headings."""

    list_export = [STOCK_PATHS.get(column, column) for column in COLUMNS]
    export_headings = {
        STOCK_PATHS.get(column, column): heading
        for column, heading in EnquiryInboxViewSet.export_headings.items()
    }


def stock_enquiries(form):
    """The enquiries to `form` as the listing orders them, as Wagtail's mixin reads them."""
    enquiries = list(
        with_listing_data(EnquirySubmission.objects.filter(page=form)).order_by(
            *EnquiryInboxViewSet.ordering
        )
    )
    for enquiry in enquiries:
        enquiry.notification_label = worker_notification_state(enquiry)
        enquiry.answers_text = "\n".join(
            f"{label}: {answer}" for label, answer in enquiry.answer_rows()
        )
    return enquiries


def local_time(moment):
    """An aware or UTC-naive time as the moderator's clock shows it, to the second."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def some_enquiries(kk_form, kk_moderator):
    """Enquiries with what formatting could treat differently: a formula, Polish letters,
    a line break and a tab, spaces at the ends, an assignee, an answer to a field since
    removed, an answer to a field added since, several choices, no e-mail address."""
    make_enquiry(kk_form, resident_name=FORMULA)
    make_enquiry(
        kk_form,
        status=EnquirySubmission.Status.IN_PROGRESS,
        assignee=kk_moderator,
        resident_name=" Żaneta Łódzka ",
        form_data={**enquiry_answers(wiadomosc="Dzień dobry,\nproszę\to kontakt."), "stare": "x"},
    )
    make_enquiry(kk_form, resident_email="", status=EnquirySubmission.Status.CLOSED)
    unanswered = enquiry_answers(temat=["udział w Klubie", "inne"])
    del unanswered["consent"], unanswered["telefon"]  # a field added since
    make_enquiry(kk_form, form_data=unanswered)


def download(client, export_format):
    response = client.get(url("index"), {"export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_our_csv_is_wagtails_csv_of_the_same_rows_but_for_the_deliberate_differences(
    enquiries, kk_form, kk_moderator
):
    """Wagtail's commas, UTC time with microseconds and formulas left as they are become our
    semicolons, local time to the second and formulas kept as text; nothing else differs."""
    some_enquiries(kk_form, kk_moderator)
    ours = download(logged_in(kk_moderator), "csv").decode()
    assert ours.startswith("\ufeff")
    our_rows = list(csv.reader(io.StringIO(ours[1:]), delimiter=";"))
    stock = b"".join(StockExport().stream_csv(stock_enquiries(kk_form))).decode()
    headings, *stock_rows = csv.reader(io.StringIO(stock))
    for row in stock_rows:
        sent = datetime.datetime.fromisoformat(row[DATE_COLUMN])
        row[DATE_COLUMN] = str(local_time(sent))
        row[:] = [f"'{text}" if text.startswith(FORMULA_STARTS) else text for text in row]
    assert len(stock_rows) == 5
    assert our_rows == [[capfirst(heading) for heading in headings], *stock_rows]


def test_our_xlsx_is_wagtails_xlsx_of_the_same_rows_but_for_the_deliberate_differences(
    enquiries, kk_form, kk_moderator
):
    """The same cells, types and date format as Wagtail's workbook; its UTC times with
    microseconds are our local time to the second."""
    some_enquiries(kk_form, kk_moderator)
    ours = openpyxl.load_workbook(io.BytesIO(download(logged_in(kk_moderator), "xlsx")))
    stock_file = io.BytesIO()
    StockExport().write_xlsx(stock_enquiries(kk_form), stock_file)
    stock = openpyxl.load_workbook(stock_file)
    assert ours.sheetnames == stock.sheetnames

    def cells(workbook):
        """Each cell's value, type and number format; an empty cell's type is no matter."""
        return [
            [
                (cell.value, cell.data_type if cell.value is not None else None, cell.number_format)
                for cell in row
            ]
            for row in workbook.active.iter_rows()
        ]

    headings, *stock_rows = cells(stock)
    for row in stock_rows:
        sent, data_type, number_format = row[DATE_COLUMN]
        row[DATE_COLUMN] = (local_time(sent), data_type, number_format)
    assert len(stock_rows) == 5
    capitalised = [(capfirst(value), *kinds) for value, *kinds in headings]
    assert cells(ours) == [capitalised, *stock_rows]
