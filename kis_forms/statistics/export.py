"""The whole report as XLSX (a sheet per table) or CSV (the tables one below another), each
export written to the history of every club it covers, to attach to the yearly report."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.log_actions import log
from wagtail.models import Page

from kis_forms.inbox.export import formula_safe
from kis_forms.inbox.log_actions import STATISTICS_EXPORT
from kis_forms.statistics import report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LENGTH = 31  # Excel's limit


def cell(value, for_csv):
    """Numbers as numbers; text kept from becoming a formula or breaking the file."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float):
        return value
    text = formula_safe(str(value))
    return text if for_csv else ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def xlsx_bytes(tables):
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(table.sheet[:SHEET_TITLE_LENGTH])
        sheet.append([cell(heading, False) for heading in table.headings])
        for row in table.rows:
            sheet.append([cell(value, False) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(tables):
    """UTF-8 with a byte order mark and semicolons, as the inbox's export: Excel on Polish
    Windows reads both. Each table: its title, its headings, its rows, a blank line."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";")
    for table in tables:
        writer.writerow([cell(table.title, True)])
        writer.writerow([cell(heading, True) for heading in table.headings])
        writer.writerows([cell(value, True) for value in row] for row in table.rows)
        writer.writerow([])
    return ("\ufeff" + output.getvalue()).encode()


def response(export_format, figures, club_paths, user):
    """The file, after logging the export in each covered club's history."""
    tables = report.tables(figures)
    for club in Page.objects.filter(path__in=club_paths):
        log(
            instance=club,
            action=STATISTICS_EXPORT,
            user=user,
            data={"format": export_format, "year": figures.year},
        )
    name = gettext("statistics-%(year)s") % {"year": figures.year}
    if export_format == "csv":
        body, content_type = csv_bytes(tables), "text/csv; charset=utf-8"
    else:
        body, content_type = xlsx_bytes(tables), XLSX
    answer = HttpResponse(body, content_type=content_type)
    answer["Content-Disposition"] = content_disposition_header(True, f"{name}.{export_format}")
    return answer
