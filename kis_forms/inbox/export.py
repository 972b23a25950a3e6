"""The inbox's CSV and XLSX export: the filtered enquiries, streamed, each export in history.

Wagtail's own export reads the whole listing into memory and builds XLSX in memory; this one
reads the enquiries in chunks, streams CSV and writes XLSX to a temporary file, so memory
does not grow with the number of rows.
"""

import csv
import datetime
import operator
import tempfile
import uuid
from itertools import chain, islice

from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.mixins import Echo
from wagtail.models import ModelLogEntry

from kis_forms.inbox.listing import worker_notification_state
from kis_forms.inbox.log_actions import EXPORT_ACTION
from kis_forms.models import EnquirySubmission

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def answers_text(enquiry):
    """The answers as "label: answer" lines, since each form asks different questions."""
    return "\n".join(f"{label}: {answer}" for label, answer in enquiry.answer_rows())


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
    """

    export_chunk_size = 500
    computed_columns = {
        "status": EnquirySubmission.get_status_display,
        "notification": worker_notification_state,
        "answers": answers_text,
    }

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
        return {
            field: self.computed_columns.get(field) or attribute_getter(field)
            for field in self.list_export
        }

    def to_row_dict(self, item):
        return {field: get(item) for field, get in self.column_getters.items()}

    def preprocess_field_value(self, field, value, export_format):
        """Local time for dates; text for the rest, kept from becoming a formula in CSV."""
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
        text = "" if value is None else str(value)
        if export_format == self.FORMAT_CSV and text.startswith(FORMULA_STARTS):
            return f"'{text}"
        # XLSX: Wagtail stores a text starting with "=" as text, not a formula; a control
        # character a resident typed (an escape, a form feed) would make openpyxl refuse the
        # whole file, so it shows as a replacement character.
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)

    def exported_chunks(self, queryset, export_format):
        """The enquiries in chunks; each chunk is written to the enquiries' history first.

        Nothing is prefetched: prefetched rows point back to their enquiry, and such cycles
        wait for a full garbage collection. The listing's annotations stay.
        """
        export_id = uuid.uuid4()
        forms = {}
        enquiries = (
            queryset.select_related(None)
            .select_related("worker", "assignee")
            .prefetch_related(None)
            .iterator(chunk_size=self.export_chunk_size)
        )
        while chunk := list(islice(enquiries, self.export_chunk_size)):
            for enquiry in chunk:  # one form per form page, not per row, for answer_rows()
                if enquiry.page_id not in forms:
                    forms[enquiry.page_id] = enquiry.page.specific
                    prefetch_related_objects([forms[enquiry.page_id]], "form_fields")
                enquiry.page = forms[enquiry.page_id]
            log_exported(chunk, self.request.user, export_id, export_format)
            yield chunk

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


def log_exported(enquiries, user, export_id, export_format):
    """Write the export into each enquiry's history, in one query."""
    content_type = ContentType.objects.get_for_model(EnquirySubmission, for_concrete_model=False)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type_id=content_type.pk,
            object_id=str(enquiry.pk),
            label=str(enquiry),
            action=EXPORT_ACTION,
            data={"format": export_format},
            timestamp=now,
            user_id=user.pk,
            uuid=export_id,
        )
        for enquiry in enquiries
    )
