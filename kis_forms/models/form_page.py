"""The enquiry form page, its fields and the rules routing an enquiry to a social worker."""

import datetime
from functools import partial
from http import HTTPStatus

from django.core.validators import MinValueValidator
from django.db import models
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
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from kis_forms.intake import gate
from kis_forms.intake.forms import EnquiryFormBuilder, EnquiryFormPageAdminForm
from kis_forms.intake.working_days import add_working_days
from kis_forms.models.enquiries import EnquirySubmission
from kis_pages.models import ClubSettings
from kis_pages.prepared import run_prepared
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

    def get_form_fields(self):
        """The form's fields in order, read with a query built and compiled once per process
        (kis_pages/prepared.py); a page not saved yet or shown from a revision (a preview)
        has its fields in memory, as Wagtail reads them."""
        if self.pk is None or self.form_fields.is_deferring:
            return super().get_form_fields()
        key = ("form_fields", self.pk)
        return run_prepared(FormField, key, partial(FormField.objects.filter, page_id=self.pk))

    def get_form(self, *args, **kwargs):
        """Wagtail's, with the editor's fields built for the one form (EnquiryFormBuilder)."""
        builder = self.form_builder(self.get_form_fields())
        return builder.get_form(*args, **{**self.get_form_parameters(), **kwargs})

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
