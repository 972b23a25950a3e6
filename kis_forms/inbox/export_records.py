"""Who exported which enquiries: one record per export, shown in each enquiry's history.

An export is written once (an EnquiryExport and one history entry for it), and its enquiries
as rows of ExportedEnquiry, inserted in bulk chunk by chunk as the file streams; an
enquiry's history then lists the entries of the exports that held it beside its own.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from kis_forms.inbox.log_actions import EXPORT_ACTION
from kis_forms.models import EnquiryExport, ExportedEnquiry


def start_export(user, export_format):
    """The record of an export about to stream, already in the history of what it holds."""
    export = EnquiryExport.objects.create(user=user, export_format=export_format)
    log(
        instance=export,
        action=EXPORT_ACTION,
        user=user,
        data={"format": export_format},
        timestamp=export.exported_at,
    )
    return export


def record_exported(export, enquiry_ids):
    """Add the enquiries of one streamed chunk to the export, in one query."""
    ExportedEnquiry.objects.bulk_create(
        [ExportedEnquiry(export_id=export.pk, submission_id=pk) for pk in enquiry_ids],
        batch_size=len(enquiry_ids),
    )


def history_with_exports(enquiry, own_entries):
    """The enquiry's own history entries and those of every export that held it."""
    held = ExportedEnquiry.objects.filter(submission_id=enquiry.pk).values("export_id")
    exports = (
        EnquiryExport.objects.filter(pk__in=held)
        .annotate(as_text=Cast("pk", CharField()))
        .values("as_text")
    )
    export_type = ContentType.objects.get_for_model(EnquiryExport)
    return own_entries | ModelLogEntry.objects.filter(
        content_type=export_type, object_id__in=exports, action=EXPORT_ACTION
    )


class ExportsInHistoryMixin:
    """For the enquiry's history view: the exports that held it are part of its history."""

    def get_base_queryset(self):
        """Wagtail's HistoryView.get_base_queryset, with the exports' entries added."""
        entries = history_with_exports(self.object, log_registry.get_logs_for_instance(self.object))
        return self._annotate_queryset(entries.latest_by_uuid_and_action())
