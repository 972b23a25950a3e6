"""The inbox's CSV and XLSX export: the filtered enquiries, streamed, each export in history.

Wagtail's own export reads the whole listing into memory and builds XLSX in memory; this one
reads the enquiries in chunks, streams CSV and writes XLSX to a temporary file, so memory
does not grow with the number of rows.
"""

import csv
import datetime
import operator
import tempfile
from itertools import chain, islice

from django.db.models import prefetch_related_objects
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.mixins import Echo

from kis_forms.inbox.export_records import record_exported, start_export
from kis_forms.models import EnquirySubmission, Notification

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def answers_text(enquiry):
    """The answers as "label: answer" lines, since each form asks different questions."""
    return "\n".join(f"{label}: {answer}" for label, answer in enquiry.answer_rows())


def choice_label_getter(attribute, choices):
    """Reads the label of the choice stored in `attribute`, translated once for every row."""
    labels = {value: str(label) for value, label in choices.choices}

    def label(enquiry):
        value = getattr(enquiry, attribute)
        return labels.get(value, value or "")

    return label


def share_related(enquiries, name, known):
    """Set the related object `name` on each enquiry from `known`, reading only new ones.

    A few workers and moderators answer thousands of enquiries: one object each, not one
    per row as a join would build.
    """
    field = EnquirySubmission._meta.get_field(name)
    attname = field.attname
    wanted = {getattr(enquiry, attname) for enquiry in enquiries} - known.keys() - {None}
    if wanted:
        known.update(field.related_model._default_manager.in_bulk(wanted))
    for enquiry in enquiries:
        related_id = getattr(enquiry, attname)
        if related_id is not None:
            setattr(enquiry, name, known[related_id])


def attribute_getter(path):
    """Reads `path` ("page.title") from an enquiry, calling it if it is a method."""
    get = operator.attrgetter(path)

    def value(enquiry):
        found = get(enquiry)
        return found() if callable(found) else found

    return value


class EnquiryExportMixin:
    """Streamed `?export=csv|xlsx` for the inbox listing, keeping its filters and search.

    `list_export` names attributes (dotted paths allowed) of the enquiries, or one of the
    `computed_columns` below.

    Measured with 100,000 enquiries (bench/inbox.py), the export spent its time, in order:
    writing a history entry per enquiry, then `get_status_display` (Django rebuilds the
    choices, translating each label, on every call), then building the worker and assignee
    beside every enquiry. So: one export record with rows written in bulk, labels translated
    once per export, and workers and users read once each.
    """

    export_chunk_size = 2000
    computed_columns = {"answers": answers_text}
    # Columns showing the label of a stored choice: (the attribute, its choices).
    choice_columns = {
        "status": ("status", EnquirySubmission.Status),
        "notification": ("worker_notification", Notification.State),  # see with_listing_data
    }
    related_columns = ("worker", "assignee")  # read once per export, not joined to each row

    def get(self, request, *args, **kwargs):
        if self.is_export:  # skip the listing's context, which would load every row
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_filename(self):
        return f"{super().get_filename()}-{timezone.localdate():%Y-%m-%d}"

    def get_heading(self, queryset, field):
        return capfirst(super().get_heading(queryset, field))

    @cached_property
    def column_getters(self):
        """A reader per column; the labels of choices are translated here, once."""
        getters = {}
        for field in self.list_export:
            if field in self.choice_columns:
                getters[field] = choice_label_getter(*self.choice_columns[field])
            else:
                getters[field] = self.computed_columns.get(field) or attribute_getter(field)
        return getters

    def to_row_dict(self, item):
        return {field: get(item) for field, get in self.column_getters.items()}

    def preprocess_field_value(self, field, value, export_format):
        """Local time for dates; text for the rest, kept from becoming a formula in CSV."""
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
        text = "" if value is None else str(value)
        if export_format == self.FORMAT_CSV:
            return f"'{text}" if text.startswith(FORMULA_STARTS) else text
        # XLSX: Wagtail stores a text starting with "=" as text, not a formula; a control
        # character a resident typed (an escape, a form feed) would make openpyxl refuse the
        # whole file, so it shows as a replacement character.
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)

    def exported_chunks(self, queryset, export_format):
        """The enquiries in chunks; each chunk is added to the export's record first.

        Nothing is prefetched: prefetched rows point back to their enquiry, and such cycles
        wait for a full garbage collection. The listing's annotations stay. Forms, workers
        and users are read once per export and shared by the rows.
        """
        export = start_export(self.request.user, export_format)
        forms = {}
        related = {name: {} for name in self.related_columns}
        enquiries = (
            queryset.select_related(None)
            .prefetch_related(None)
            .iterator(chunk_size=self.export_chunk_size)
        )
        while chunk := list(islice(enquiries, self.export_chunk_size)):
            for enquiry in chunk:  # one form per form page, not per row, for answer_rows()
                if enquiry.page_id not in forms:
                    forms[enquiry.page_id] = enquiry.page.specific
                    prefetch_related_objects([forms[enquiry.page_id]], "form_fields")
                enquiry.page = forms[enquiry.page_id]
            for name, known in related.items():
                share_related(chunk, name, known)
            record_exported(export, [enquiry.pk for enquiry in chunk])
            yield chunk

    # --- Overrides of Wagtail's SpreadsheetExportMixin (wagtail/admin/views/mixins.py) -----
    # The same method names and shape as Wagtail's stream_csv / write_csv_response /
    # write_xlsx_response, so its export buttons and write_xlsx keep working; ours add the
    # byte order mark and semicolons, stream rows in chunks through exported_chunks(), and
    # write XLSX to a temporary file instead of memory.

    def stream_csv(self, queryset):
        """UTF-8 with a byte order mark and semicolons: Excel on Polish Windows reads both."""
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=";")
        headings = {field: self.get_heading(queryset, field) for field in self.list_export}
        yield "\ufeff".encode() + writer.writerow(headings)
        for chunk in self.exported_chunks(queryset, self.FORMAT_CSV):
            yield b"".join(self.write_csv_row(writer, self.to_row_dict(item)) for item in chunk)

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.get_filename()}.csv"
        )
        return response

    def write_xlsx_response(self, queryset):
        """Written row by row (openpyxl's write-only mode) into a temporary file, sent from it."""
        output = tempfile.TemporaryFile()  # FileResponse closes it
        enquiries = chain.from_iterable(self.exported_chunks(queryset, self.FORMAT_XLSX))
        self.write_xlsx(enquiries, output)  # it only iterates what it is given
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )

    # --- End of the overrides of Wagtail's SpreadsheetExportMixin ----------------------
