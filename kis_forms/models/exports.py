"""Who exported which enquiries: one record per export and the enquiries it held."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis_forms.models.enquiries import EnquirySubmission


class EnquiryExport(models.Model):
    """One CSV or XLSX export from the inbox: who, when, in which format, and which enquiries.

    One record and one history entry per export, and a row per exported enquiry written in
    bulk while the file streams, rather than a history entry per enquiry: an export of
    100,000 enquiries wrote 100,000 log entries, most of its time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exported_at = models.DateTimeField(_("exported"), default=timezone.now)
    export_format = models.CharField(_("format"), max_length=10)

    class Meta:
        verbose_name = _("enquiry export")
        verbose_name_plural = _("enquiry exports")

    def __str__(self):
        return _("%(format)s export") % {"format": self.export_format.upper()}


class ExportedEnquiry(models.Model):
    """An enquiry that was in an export (its history shows the export).

    Its key is the pair, with no id of its own: one index less to fill for every row. The
    rows are written by one INSERT … SELECT of the exported enquiries, so both keys exist
    when written; deleting an enquiry or an export deletes its rows (Django's cascade). The
    database does not check the keys again: PostgreSQL checked each inserted row with two
    lookups, one locking the enquiry's row, two thirds of the insert's time (100,000 rows
    in chunks of 2,000: 3.9 s with the checks, 1.5 s without, on a loaded machine).
    """

    pk = models.CompositePrimaryKey("export", "submission")
    export = models.ForeignKey(  # the key's first column: it needs no index of its own
        EnquiryExport,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    submission = models.ForeignKey(
        EnquirySubmission, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )

    class Meta:
        verbose_name = _("exported enquiry")
        verbose_name_plural = _("exported enquiries")

    def __str__(self):
        return f"{self.export_id}: {self.submission_id}"
