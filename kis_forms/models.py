"""The enquiry form page, its fields and routing rules, and what residents send through it."""

import datetime
import hashlib
from http import HTTPStatus

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from kis_forms.intake import gate
from kis_forms.intake.forms import EnquiryFormBuilder, EnquiryFormPageAdminForm
from kis_forms.intake.working_days import add_working_days
from kis_pages.models import ClubSettings
from kis_pages.preview import HeadlessPreviewMixin

LANDING_SHOWN_FOR = datetime.timedelta(days=7)
SENT_BEFORE = _(
    "This form has already been sent with other answers. To send a new enquiry, check your "
    "answers below and send the form again."
)


class EnquiryFormPage(HeadlessPreviewMixin, RoutablePageMixin, AbstractForm):
    """A form residents use to ask the club; each enquiry goes to a named social worker."""

    # What residents read
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("What residents may ask about and who will answer."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Shown after sending, above the reference number and the worker's contact."),
    )
    reply_within_days = models.PositiveSmallIntegerField(
        _("reply within (working days)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Residents are told they will get an answer by this many working days."),
    )

    # Who answers
    default_worker = models.ForeignKey(
        "kis_pages.SocialWorker",
        verbose_name=_("social worker who answers"),
        on_delete=models.PROTECT,
        related_name="enquiry_forms",
        help_text=_("Gets every enquiry no routing rule sends elsewhere. Needs a work e-mail."),
    )
    include_answers_in_email = models.BooleanField(
        _("put the answers in the e-mail"),
        default=False,
        help_text=_(
            "By default the e-mail only links to the enquiry, so health or addiction details "
            "never travel by e-mail. Tick only if the answers hold no such data."
        ),
    )
    send_confirmation = models.BooleanField(
        _("confirm to the resident by e-mail"),
        default=False,
        help_text=_("When the resident gives an e-mail address, send them the reference number."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep enquiries for (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30)],
        help_text=_(
            "Leave empty to use the club's period (Settings › Club). Closed and spam enquiries "
            "of this form are anonymised after this many days."
        ),
    )

    search_fields = [*AbstractForm.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("reply_within_days"),
        APIField("form_fields"),
        APIField("consent_text"),
    ]
    content_panels = [
        *AbstractForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", heading=_("Form fields"), label=_("field")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldPanel("default_worker"),
                FieldPanel("reply_within_days"),
                InlinePanel("routing_rules", heading=_("Routing rules"), label=_("rule")),
            ],
            heading=_("Who answers"),
        ),
        MultiFieldPanel(
            [FieldPanel("include_answers_in_email"), FieldPanel("send_confirmation")],
            heading=_("E-mails"),
        ),
    ]
    settings_panels = [
        *AbstractForm.settings_panels,
        FieldPanel("retention_days", heading=_("Personal data (RODO)")),
    ]

    base_form_class = EnquiryFormPageAdminForm
    form_builder = EnquiryFormBuilder
    parent_page_types = ["kis_pages.ClubPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("enquiry form")
        verbose_name_plural = _("enquiry forms")

    def get_submission_class(self):
        return EnquirySubmission

    def consent_text(self, request=None):
        """The RODO information clause residents of this page's club see (HTML); given the
        request that serves the page, the settings its footer shows, read once."""
        if request is not None:
            return ClubSettings.for_request(request).information_clause()
        return ClubSettings.for_site(self.get_site()).information_clause()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["consent_text"] = self.consent_text(request)
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        """The form; a post goes through the one intake path (kis_forms/intake/pipeline.py)."""
        if request.method != "POST":
            address = gate.form_address(request)
            form = self.get_form(page=self, user=request.user, token_address=address)
            return self.render_form(request, form)
        from kis_forms.intake import pipeline  # the pipeline stores this module's models

        outcome = pipeline.take_in(self, request, request.POST)
        if outcome.result is pipeline.Result.ACCEPTED:
            return self.render_landing_page(request, outcome.submission)
        if outcome.result is pipeline.Result.INVALID:
            return self.render_form(request, outcome.form)
        if outcome.result is pipeline.Result.SENT_BEFORE:
            return self.render_refused(request, gate.Verdict(accepted=False, message=SENT_BEFORE))
        return self.render_refused(request, outcome.verdict)  # refused, or kept as spam

    def render_form(self, request, form):
        """The form page showing `form`: empty, or as sent with its errors."""
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)

    def process_form_submission(self, form):
        """Store the enquiry and queue its e-mails; sending happens in a task worker."""
        from kis_forms.intake.submissions import store_enquiry  # it needs this module's models

        return store_enquiry(self, form)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        """Redirect (303) to the landing page, so reloading it cannot post the form again.

        Its address carries the form's one-time token, which only the sender's browser had.
        Without a submission (the editor's preview) it shows the landing page with a sample.
        """
        if form_submission is None:
            sample = EnquirySubmission(
                page=self,
                reference="KIS-0000-000000",
                worker=self.default_worker,
                submit_time=timezone.now(),
            )
            return self.landing_response(request, sample)
        url = self.get_url(request) + self.reverse_subpage(
            "landing", args=[form_submission.form_token]
        )
        return HttpResponseRedirect(url, status=HTTPStatus.SEE_OTHER)

    @path("wyslano/<str:token>/", name="landing")
    def landing(self, request, token):
        """The reference number, who will answer and by when."""
        shown_since = timezone.now() - LANDING_SHOWN_FOR
        submission = get_object_or_404(
            EnquirySubmission.objects.select_related("worker"),
            form_token=token,
            page=self,
            submit_time__gte=shown_since,
        )
        return self.landing_response(request, submission)

    def landing_response(self, request, submission):
        """The landing page: one resident's, so never kept by the page cache or a browser."""
        context = self.get_context(request)
        context["form_submission"] = submission
        context["reply_by"] = self.reply_by(submission)
        response = TemplateResponse(request, self.get_landing_page_template(request), context)
        add_never_cache_headers(response)
        return response

    def reply_by(self, submission):
        """The date by which the resident is promised an answer."""
        received = timezone.localtime(submission.submit_time).date()
        return add_working_days(received, self.reply_within_days)

    def render_refused(self, request, verdict):
        """The form again, filled in, with the gate's message and a fresh token.

        The token keeps the time the form was first shown, so sending it again at once is no
        "sent too fast"; a bot gains nothing, as that time is still its own first GET's.
        """
        address = gate.form_address(request)
        data = request.POST.copy()
        shown = gate.first_shown(data.get(gate.TOKEN_FIELD), address)
        data[gate.TOKEN_FIELD] = gate.new_token(address, shown=shown)
        form = self.get_form(data, page=self, user=request.user, token_address=address)
        form.is_valid()
        response = self.render_form(request, form)
        response.context_data["refusal"] = verdict.message
        return response


class FormField(AbstractFormField):
    """A field an editor adds to an enquiry form.

    Besides Wagtail's types, "name" and "phone" mark the resident's name and phone number,
    so a data subject's request can find their enquiries and anonymising can remove them.
    """

    FIELD_TYPES = [
        ("name", _("Resident's name")),
        ("phone", _("Phone number")),
        *FORM_FIELD_CHOICES,
    ]

    page = ParentalKey(EnquiryFormPage, on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("field type"), max_length=16, choices=FIELD_TYPES)
    field_type.required_on_save = True  # as Wagtail's own: previews build fields from it


class RoutingRule(Orderable):
    """When a choice field has a given answer, the enquiry goes to another worker."""

    page = ParentalKey(EnquiryFormPage, on_delete=models.CASCADE, related_name="routing_rules")
    field_label = models.CharField(
        _("field"),
        max_length=255,
        help_text=_("The label of a choice field of this form, exactly as above, e.g. 'Temat'."),
    )
    value = models.CharField(
        _("answer"),
        max_length=255,
        help_text=_("One of that field's choices, e.g. 'prace społecznie użyteczne'."),
    )
    worker = models.ForeignKey(
        "kis_pages.SocialWorker",
        verbose_name=_("send to"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )

    panels = [FieldRowPanel([FieldPanel("field_label"), FieldPanel("value")]), FieldPanel("worker")]

    class Meta(Orderable.Meta):
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self):
        return f"{self.field_label} = {self.value} → {self.worker}"


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

    def __str__(self):
        return f"{self.submission} – {self.get_kind_display()}: {self.get_state_display()}"


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


class GroupEnquiryPermission(models.Model):
    """Lets a group read or handle the enquiries sent to the forms of one club.

    The club is a page: the grant covers every enquiry form below it, as Wagtail's page
    permissions cover a subtree.
    """

    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="enquiry_permissions",
    )
    club = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("club"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    permission = models.ForeignKey(
        "auth.Permission", verbose_name=_("permission"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("enquiry permission")
        verbose_name_plural = _("enquiry permissions")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "club", "permission"], name="one_enquiry_grant_per_club"
            )
        ]

    def __str__(self):
        return f"{self.group} – {self.club}: {self.permission.codename}"


# The statistics' tallies (kis_forms.statistics.tallies): on PostgreSQL, triggers written by
# migration 0011 keep them equal to counts over the enquiries through every insert, update
# and delete, so the report reads a few thousand rows instead of a club's whole year. Page
# and worker are plain numbers, not foreign keys: deleting a page deletes its enquiries, and
# their triggers take them out of the tallies.


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
