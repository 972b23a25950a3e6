"""Who exported which enquiries: one record per export, shown in each enquiry's history.

An export is written once (an EnquiryExport and one history entry for it), and its enquiries
as rows of ExportedEnquiry, all in one INSERT … SELECT before the file streams; the file then
holds exactly the enquiries recorded. An enquiry's history lists the entries of the exports
that held it beside its own.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import BigIntegerField, CharField, Exists, OuterRef, Value
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


def record_export(export, enquiries):
    """Add every enquiry of the queryset `enquiries` to the export, in one statement, and
    return the queryset limited to those recorded (an enquiry sent since is left out).

    The database copies the ids itself; none passes through Python. Measured with 100,000
    enquiries on a loaded machine: bulk_create in chunks of 2,000 took 6.3 s, the same
    chunks sent as one array each 3.9 s (1.5 s with the keys unchecked, see
    ExportedEnquiry), this statement 0.5-0.7 s. Both statements run on the database that
    is written to, so a replica that lags cannot leave recorded enquiries out.
    """
    alias = router.db_for_write(ExportedEnquiry)
    ids = (
        enquiries.using(alias)
        .order_by()
        .annotate(export_key=Value(export.pk, output_field=BigIntegerField()))
        .values_list("export_key", "pk")
    )
    select, params = ids.query.get_compiler(using=alias).as_sql()
    connection = connections[alias]
    table = connection.ops.quote_name(ExportedEnquiry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (export_id, submission_id) {select}",  # noqa: S608 (a table name)
            params,
        )
    recorded = ExportedEnquiry.objects.filter(export_id=export.pk, submission_id=OuterRef("pk"))
    return enquiries.using(alias).filter(Exists(recorded))


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
