"""What residents send: an enquiry, the clause it was sent under, the sequence of its
reference numbers, the moderators' notes and its e-mails."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import (
    AbstractFormSubmission,
)


class ConsentText(models.Model):
    """One version of the RODO information clause, kept as shown to residents."""

    digest = models.CharField(_("fingerprint"), max_length=64, unique=True, editable=False)
    text = models.TextField(_("clause"), editable=False)
    first_shown = models.DateTimeField(_("first shown"), auto_now_add=True)

    class Meta:
        verbose_name = _("RODO clause version")
        verbose_name_plural = _("RODO clause versions")

    def __str__(self):
        return self.version

    @property
    def version(self):
        """A short label that names this version, e.g. in the inbox."""
        return self.digest[:12]

    @classmethod
    def for_text(cls, text):
        """The stored version of `text`, saved the first time it is shown."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        consent, _created = cls.objects.get_or_create(digest=digest, defaults={"text": text})
        return consent


class EnquirySubmission(AbstractFormSubmission):
    """An enquiry: the answers, its reference, the worker it was routed to and its status."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        SPAM = "spam", _("spam")

    reference = models.CharField(
        _("reference"), max_length=32, unique=True, null=True, editable=False
    )
    form_token = models.CharField(
        _("form token"),
        max_length=64,
        unique=True,
        null=True,
        editable=False,
        help_text=_("One per rendered form, so sending twice stores one enquiry."),
    )
    worker = models.ForeignKey(
        "kis_pages.SocialWorker",
        verbose_name=_("routed to"),
        null=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    resident_email = models.EmailField(
        _("resident's e-mail"),
        blank=True,
        editable=False,
        help_text=_("The first e-mail address in the answers: replies and confirmations go here."),
    )
    resident_name = models.CharField(
        _("resident's name"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The answer to the form's name field."),
    )
    resident_phone = models.CharField(
        _("resident's phone"),
        max_length=16,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The answer to the form's phone field, as +48 and nine digits."),
    )
    consent = models.ForeignKey(
        ConsentText,
        verbose_name=_("RODO clause shown"),
        null=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    status_changed_at = models.DateTimeField(
        _("status changed"),
        null=True,
        editable=False,
        help_text=_("When the status last changed; retention counts from here."),
    )
    first_handled_at = models.DateTimeField(
        _("first handled"),
        null=True,
        editable=False,
        help_text=_("When a moderator first changed its status or added a note."),
    )
    closed_at = models.DateTimeField(
        _("closed"),
        null=True,
        editable=False,
        help_text=_("When it was first closed; the statistics count reply times from these."),
    )
    anonymised_at = models.DateTimeField(
        _("anonymised"),
        null=True,
        editable=False,
        help_text=_("When the personal answers were removed after the retention period."),
    )
    spam_reason = models.CharField(_("why it looks like spam"), max_length=200, blank=True)
    choice_answers = models.JSONField(
        _("topic answers"),
        default=dict,
        editable=False,
        help_text=_(
            "The answers to the form's single-choice fields as they were when it arrived; "
            "on PostgreSQL the statistics count topics from these."
        ),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_enquiries",
    )

    class Meta(AbstractFormSubmission.Meta):
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-submit_time", "-pk"]
        indexes = [
            models.Index(fields=["-submit_time", "-id"], name="enquiry_newest_first"),
            # A whole e-mail address searched for, in any case (inbox, data subject's request).
            models.Index(Upper("resident_email"), name="enquiry_email_exact"),
            # The menu's count of new enquiries (on every admin page) and the inbox's count by
            # status and date read this index alone.
            models.Index(fields=["status", "submit_time", "page"], name="enquiry_status_received"),
            # The statistics' year of a club, read from this index alone (kis_forms.statistics).
            models.Index(
                fields=[
                    "page",
                    "submit_time",
                    "status",
                    "worker",
                    "first_handled_at",
                    "closed_at",
                    "id",
                ],
                name="enquiry_statistics",
            ),
        ]
        permissions = [("handle_enquirysubmission", _("Can handle enquiries"))]

    def __str__(self):
        return self.reference or str(self.pk)

    def answer_rows(self):
        """(label, answer) pairs in the form's order, then answers to fields since removed."""
        labels = {field.clean_name: field.label for field in self.page.specific.get_form_fields()}
        return self.rows_of_answers(labels, self.form_data)

    @staticmethod
    def rows_of_answers(labels, form_data):
        """answer_rows() for `form_data` given its form's labels by field name, which a reader
        of many enquiries of one form (the export) reads once."""
        removed = [name for name in form_data if name not in labels]
        rows = []
        for name in [*labels, *removed]:
            value = form_data.get(name)
            if isinstance(value, list):
                value = ", ".join(value)
            rows.append((labels.get(name, name), "" if value is None else value))
        return rows


class ReferenceSequence(models.Model):
    """The last number given to a resident's enquiry, in its one row.

    Residents' references take their numbers from here, not from the enquiry's id, which
    spam and failed saves use up too; a save that fails rolls its number back with it.
    """

    last_number = models.PositiveBigIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self):
        return str(self.last_number)


class EnquiryNote(models.Model):
    """A moderator's private note on an enquiry; notes are only ever added, never changed."""

    submission = models.ForeignKey(
        EnquirySubmission, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.submission} – {self.author}: {self.text[:40]}"


class Notification(models.Model):
    """One e-mail about an enquiry and its delivery: to the worker, or to the resident."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("to the social worker")
        RESIDENT = "resident", _("confirmation to the resident")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILING = "failing", _("failing, will retry")
        GIVEN_UP = "given_up", _("given up")

    submission = models.ForeignKey(
        EnquirySubmission, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="one_notification_per_kind")
        ]
        indexes = [
            # The e-mails not delivered, a few among many: the dashboard counts their enquiries.
            models.Index(
                fields=["submission"],
                condition=models.Q(state__in=["failing", "given_up"]),
                name="notification_failing",
            )
        ]

    def __str__(self):
        return f"{self.submission} – {self.get_kind_display()}: {self.get_state_display()}"
