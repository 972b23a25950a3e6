"""The inbox's CSV and XLSX export: the filtered enquiries, streamed, each export in history.

This module is the one place where Wagtail's code is overridden for the export. It mirrors
`SpreadsheetExportMixin` of Wagtail 8.0.1 (wagtail/admin/views/mixins.py), whose buttons,
`?export=` handling, filename and headings the inbox keeps; it overrides `get_filename`
and `get_heading` and replaces `stream_csv`, `write_csv_response`, `write_xlsx` and
`write_xlsx_response`, so Wagtail's `to_row_dict` and `preprocess_field_value` go unused.
What differs on purpose: semicolons and a byte order mark in the CSV (Excel on Polish
Windows), a text starting like a formula kept as text in the CSV, times in local time to
the second, headings capitalised, control characters in the XLSX shown as a replacement
character. tests/kis_forms/test_export_against_wagtail.py exports the same rows through
Wagtail's own mixin and compares, so an upgrade of Wagtail that changes headings or how
values are written fails there: update this module and that test together.

Wagtail's export reads the whole listing as models into memory and builds XLSX in memory;
this one reads plain values in chunks (export_rows.py), streams CSV and writes XLSX row by
row to a temporary file (xlsx.py), so memory does not grow with the number of rows.
"""

import csv
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from wagtail.admin.views.mixins import ExcelDateFormatter

from kis_forms.inbox.export_records import record_export, start_export
from kis_forms.inbox.export_rows import ExportRows, as_is
from kis_forms.inbox.xlsx import SheetWriter

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """A text that starts like a formula kept as text, for the CSV."""
    if value.__class__ is str and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class EnquiryExportMixin:
    """Streamed `?export=csv|xlsx` for the inbox listing, keeping its filters and search.

    `list_export` names fields of the enquiry or columns that ExportRows computes.
    """

    # Rows fetched per round trip to the database, and rows turned into one piece of the
    # file. Measured with 100,000 rows (bench/inbox.py's order, after Wagtail's export): in
    # pieces of 2,000, the objects of the piece being written were alive at each collection
    # of young objects, so many reached the oldest generation that Python collected its
    # whole heap one to three times per export, 0.3 s each; in pieces of 250 it did not.
    # Fetching 5,000 at a time keeps the round trips few (each a wait for a busy server).
    export_chunk_size = 250
    export_fetch_size = 5000

    def get(self, request, *args, **kwargs):
        if self.is_export:  # skip the listing's context, which would load every row
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_filename(self):
        return f"{super().get_filename()}-{timezone.localdate():%Y-%m-%d}"

    def get_heading(self, queryset, field):
        return capfirst(super().get_heading(queryset, field))

    def headings(self, queryset):
        return [self.get_heading(queryset, field) for field in self.list_export]

    def exported_rows(self, queryset, export_format, text=as_is):
        """Chunks of rows of the enquiries, recorded first as exported by the user; `text`
        applied to each value (see ExportRows)."""
        export = start_export(self.request.user, export_format)
        reader = ExportRows(self.list_export, text)
        for chunk in reader.read(
            record_export(export, queryset), self.export_chunk_size, self.export_fetch_size
        ):
            yield reader.rows(chunk)

    # --- Overrides of Wagtail 8.0.1's SpreadsheetExportMixin -----------------------------

    def stream_csv(self, queryset):
        """UTF-8 with a byte order mark and semicolons: Excel on Polish Windows reads both."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(self.headings(queryset))
        yield "\ufeff".encode() + buffer.getvalue().encode()
        for rows in self.exported_rows(queryset, self.FORMAT_CSV, formula_safe):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(rows)
            yield buffer.getvalue().encode()

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.get_filename()}.csv"
        )
        return response

    def write_xlsx(self, queryset, output):
        """One sheet named as Wagtail's, its dates in Wagtail's format for the language."""
        with SheetWriter(output, date_format=ExcelDateFormatter().get()) as sheet:
            sheet.write_rows([self.headings(queryset)])
            for rows in self.exported_rows(queryset, self.FORMAT_XLSX):
                sheet.write_rows(rows)

    def write_xlsx_response(self, queryset):
        """Written row by row into a temporary file, sent from it."""
        output = tempfile.TemporaryFile()  # FileResponse closes it
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )

    # --- End of the overrides of Wagtail's SpreadsheetExportMixin -----------------------
