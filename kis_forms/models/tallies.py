"""The statistics' tallies (kis_forms/statistics/tallies.py).

On PostgreSQL, triggers written by migration 0013 keep them equal to counts over the
enquiries through every insert, update and delete, so the report reads a few thousand rows
instead of a club's whole year. Page and worker are plain numbers, not foreign keys:
deleting a page deletes its enquiries, and their triggers take them out of the tallies.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnquiryTally(models.Model):
    """Enquiries per form, day of arrival, status, routed worker and day first handled."""

    page_id = models.IntegerField(_("form"))
    arrival = models.DateField(_("arrived"))
    status = models.CharField(_("status"), max_length=20)
    worker_id = models.IntegerField(_("routed to"), null=True)
    handled = models.DateField(_("first handled"), null=True)
    total = models.IntegerField(_("enquiries"))

    class Meta:
        verbose_name = _("enquiry tally")
        verbose_name_plural = _("enquiry tallies")
        indexes = [models.Index(fields=["page_id", "arrival"], name="enquiry_tally_page_day")]

    def __str__(self):
        return f"{self.page_id} {self.arrival} {self.status}: {self.total}"


class WaitTally(models.Model):
    """Enquiries (not spam) per form and month of arrival by the time, in tenths of an hour
    rounded half up, to first handling ("handled") or to closing ("closed")."""

    page_id = models.IntegerField(_("form"))
    month = models.DateField(_("month"))
    measure = models.CharField(_("measure"), max_length=10)
    tenths = models.BigIntegerField(_("tenths of an hour"))
    total = models.IntegerField(_("enquiries"))

    class Meta:
        verbose_name = _("waiting time tally")
        verbose_name_plural = _("waiting time tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "month", "measure", "tenths"], name="one_wait_tally"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.month} {self.measure} {self.tenths}: {self.total}"


class TopicTally(models.Model):
    """Enquiries (not spam) per form, month of arrival and answer to a single-choice field."""

    page_id = models.IntegerField(_("form"))
    month = models.DateField(_("month"))
    field = models.CharField(_("field"), max_length=255)
    answer = models.TextField(_("answer"))
    total = models.IntegerField(_("enquiries"))

    class Meta:
        verbose_name = _("topic tally")
        verbose_name_plural = _("topic tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "month", "field", "answer"], name="one_topic_tally"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.month} {self.field}={self.answer}: {self.total}"


class NotificationTally(models.Model):
    """E-mails per form and month of their enquiry's arrival, state and whether retried."""

    page_id = models.IntegerField(_("form"))
    month = models.DateField(_("month"))
    state = models.CharField(_("state"), max_length=20)
    retried = models.BooleanField(_("retried"))
    total = models.IntegerField(_("e-mails"))

    class Meta:
        verbose_name = _("notification tally")
        verbose_name_plural = _("notification tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "month", "state", "retried"], name="one_notification_tally"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.month} {self.state}: {self.total}"


class InboxTally(models.Model):
    """Enquiries per form, status and whether someone is assigned: what the menu's badge and
    the dashboard's panel count, kept by triggers on PostgreSQL (migration 0014)."""

    page_id = models.IntegerField(_("form"))
    status = models.CharField(_("status"), max_length=20)
    assigned = models.BooleanField(_("assigned"))
    total = models.IntegerField(_("enquiries"))

    class Meta:
        verbose_name = _("inbox tally")
        verbose_name_plural = _("inbox tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "status", "assigned"], name="one_inbox_tally"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.status} {self.assigned}: {self.total}"


class UndeliveredTally(models.Model):
    """Enquiries per form with an e-mail that did not go out (failing or given up): the
    dashboard's third count, kept by triggers on PostgreSQL (migration 0014)."""

    page_id = models.IntegerField(_("form"), unique=True)
    total = models.IntegerField(_("enquiries"))

    class Meta:
        verbose_name = _("undelivered e-mail tally")
        verbose_name_plural = _("undelivered e-mail tallies")

    def __str__(self):
        return f"{self.page_id}: {self.total}"
