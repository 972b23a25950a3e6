"""The deklaracja dostępności (accessibility statement) of a club's site, one per club."""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .. import accessibility_law
from ..blocks import InaccessibleContentBlock
from ..forms import AccessibilityStatementPageForm
from ..phones import normalize_phone, phone_display, tel_href
from ..preview import HeadlessPreviewMixin
from ..serializers import DisplayField, choice_label
from .settings import ClubSettings

TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class AccessibilityStatementPage(HeadlessPreviewMixin, Page):
    """The statement in the structure of the official template (Warunki techniczne v2.0)."""

    class Status(models.TextChoices):
        COMPLIANT = "compliant", _("compliant")
        PARTIALLY_COMPLIANT = "partially_compliant", _("partially compliant")
        NON_COMPLIANT = "non_compliant", _("non-compliant")

    class Assessment(models.TextChoices):
        SELF = "self", _("self-assessment")
        EXTERNAL = "external", _("assessment by an external body")

    # Whose statement, about what
    entity_name = models.CharField(
        _("public body"),
        max_length=255,
        help_text=_(
            "The body the site belongs to, usually the welfare centre; filled in from the club "
            "settings."
        ),
    )
    scope = models.CharField(
        _("scope"),
        max_length=255,
        default=accessibility_law.SCOPE,
        help_text=_(
            "Continues the sentence '… undertakes to make … accessible', so write it in the "
            "genitive, e.g. 'strony internetowej Klubu Integracji Społecznej'."
        ),
    )
    site_url = models.URLField(
        _("website address"),
        blank=True,
        help_text=_("Leave empty for the address of this club's site."),
    )

    # Dates
    site_published_on = models.DateField(
        _("website published on"), help_text=_("The day the website was first published.")
    )
    site_updated_on = models.DateField(
        _("website last updated on"),
        help_text=_("The day of the website's last major update; the publication day if none."),
    )
    prepared_on = models.DateField(
        _("statement prepared on"), help_text=_("The day this statement was first prepared.")
    )
    last_reviewed_on = models.DateField(
        _("statement last reviewed on"),
        null=True,
        blank=True,
        help_text=_(
            "Review the statement at least once a year, by 31 March. The dashboard warns when "
            "the last review is more than 12 months old."
        ),
    )

    # Compliance
    status = models.CharField(
        _("compliance status"),
        max_length=20,
        choices=Status.choices,
        help_text=_("Compliance with the act on digital accessibility, as assessed."),
    )
    inaccessible_content = StreamField(
        [("item", InaccessibleContentBlock())],
        verbose_name=_("inaccessible content"),
        blank=True,
        help_text=_(
            "Everything that is not accessible, with the reason and an alternative. Required "
            "unless the status is 'compliant'."
        ),
    )
    burden_analysis_url = models.URLField(
        _("excessive burden analysis"),
        blank=True,
        help_text=_("A link to the analysis; required when some content claims excessive burden."),
    )

    # How the statement was prepared
    assessment = models.CharField(
        _("assessment method"),
        max_length=10,
        choices=Assessment.choices,
        default=Assessment.SELF,
        help_text=_("Who checked the website's accessibility."),
    )
    assessor_name = models.CharField(
        _("external body"),
        max_length=255,
        blank=True,
        help_text=_("The name of the body that assessed the website, for an external assessment."),
    )
    audit_report_url = models.URLField(
        _("audit report"),
        blank=True,
        help_text=_("A link to the external assessment's report, if it is published."),
    )

    # Feedback and contact
    contact_name = models.CharField(
        _("contact person"),
        max_length=150,
        help_text=_("Who answers questions and requests about accessibility."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("A work address for accessibility requests.")
    )
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=16,
        help_text=_("Nine digits, e.g. 77 483 77 23; it is saved as +48 77 483 77 23."),
    )
    contact_phone_extension = models.CharField(
        _("extension"),
        max_length=6,
        blank=True,
        help_text=_("Only the extension digits, e.g. 103."),
    )

    # Procedure and other information
    complaints_procedure = RichTextField(
        _("requests and complaints"),
        default=accessibility_law.COMPLAINTS_PROCEDURE,
        features=TEXT_FEATURES,
        help_text=_(
            "How to ask for accessible content and how to complain, up to the Rzecznik Praw "
            "Obywatelskich; the text of the act is filled in."
        ),
    )
    architectural_accessibility = RichTextField(
        _("architectural accessibility"),
        features=TEXT_FEATURES,
        help_text=_(
            "The building: entrances, ramps or lifts, stairs, where the club's rooms are, "
            "toilets, parking, assistance dogs."
        ),
    )
    communication_accessibility = RichTextField(
        _("communication accessibility"),
        default=accessibility_law.COMMUNICATION,
        features=TEXT_FEATURES,
        help_text=_(
            "How deaf and hard-of-hearing people can contact the club: a PJM interpreter, an "
            "induction loop, text messages."
        ),
    )
    mobile_apps = RichTextField(
        _("mobile apps"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("The centre's mobile apps and links to their statements; leave empty if none."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("entity_name"),
        index.SearchField("inaccessible_content"),
        index.SearchField("architectural_accessibility"),
        index.SearchField("communication_accessibility"),
        index.FilterField("status"),
        index.FilterField("last_reviewed_on"),
    ]
    api_fields = [
        APIField("entity_name"),
        APIField("scope"),
        APIField("site_url"),
        APIField("site_published_on"),
        APIField("site_updated_on"),
        APIField("prepared_on"),
        APIField("last_reviewed_on"),
        APIField("status"),
        choice_label("status"),
        APIField("inaccessible_content"),
        APIField("burden_analysis_url"),
        APIField("assessment"),
        choice_label("assessment"),
        APIField("assessor_name"),
        APIField("audit_report_url"),
        APIField("contact_name"),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("contact_phone_extension"),
        APIField("contact_phone_display", serializer=DisplayField(str, "phone_display")),
        APIField("contact_phone_href", serializer=DisplayField(str, "phone_href")),
        APIField("complaints_procedure"),
        APIField("architectural_accessibility"),
        APIField("communication_accessibility"),
        APIField("mobile_apps"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("entity_name"), FieldPanel("scope"), FieldPanel("site_url")],
            heading=_("Whose statement, about what"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("site_published_on"), FieldPanel("site_updated_on")]),
                FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("last_reviewed_on")]),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("inaccessible_content"),
                FieldPanel("burden_analysis_url"),
            ],
            heading=_("Compliance"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("assessment"),
                FieldPanel("assessor_name"),
                FieldPanel("audit_report_url"),
            ],
            heading=_("How the statement was prepared"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_phone_extension")]),
            ],
            heading=_("Feedback and contact"),
        ),
        FieldPanel("complaints_procedure"),
        MultiFieldPanel(
            [
                FieldPanel("architectural_accessibility"),
                FieldPanel("communication_accessibility"),
                FieldPanel("mobile_apps"),
            ],
            heading=_("Other information"),
        ),
    ]
    base_form_class = AccessibilityStatementPageForm

    parent_page_types = ["kis_pages.ClubPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def clean(self):
        super().clean()
        errors = defaultdict(list)
        self._check_one_per_club(errors)
        self._check_status(errors)
        self._check_dates(errors)
        self._check_burden_analysis(errors)
        self._check_assessment(errors)
        self._check_phone(errors)
        if errors:
            raise ValidationError(dict(errors))

    @classmethod
    def initial_for(cls, club):
        """What a new statement under `club` starts with: the club's body and contact worker."""
        club = club.specific
        site = club.get_site()
        institution = ClubSettings.for_site(site).institution_name if site else ""
        initial = {"entity_name": institution or club.host_institution}
        if club.contact_worker is not None:
            initial.update(cls.contact_from(club.contact_worker))
        return initial

    @staticmethod
    def contact_from(worker):
        """The statement's contact fields, filled in from a social worker."""
        return {
            "contact_name": worker.name,
            "contact_email": worker.email,
            "contact_phone": worker.phone,
            "contact_phone_extension": worker.phone_extension,
        }

    @property
    def is_compliant(self):
        return self.status == self.Status.COMPLIANT

    @property
    def status_statement(self):
        """The official sentence stating the status."""
        sentences = {
            self.Status.COMPLIANT: _(
                "This website is compliant with the act of 4 April 2019 on the digital "
                "accessibility of websites and mobile applications of public bodies."
            ),
            self.Status.PARTIALLY_COMPLIANT: _(
                "This website is partially compliant with the act of 4 April 2019 on the digital "
                "accessibility of websites and mobile applications of public bodies, because of "
                "the non-compliances or exemptions listed below."
            ),
            self.Status.NON_COMPLIANT: _(
                "This website is non-compliant with the act of 4 April 2019 on the digital "
                "accessibility of websites and mobile applications of public bodies, because of "
                "the non-compliances or exemptions listed below."
            ),
        }
        return sentences.get(self.status, "")

    def website_url(self):
        """The address the statement covers: the one given, else the club's home page."""
        if self.site_url:
            return self.site_url
        return self.get_parent().get_full_url() or ""

    @property
    def phone_display(self):
        return phone_display(self.contact_phone, self.contact_phone_extension)

    @property
    def phone_href(self):
        return tel_href(self.contact_phone, self.contact_phone_extension)

    def _check_one_per_club(self, errors):
        if not self.path:
            return  # not in the tree yet: the admin's max_count_per_parent rule applies
        if type(self).objects.sibling_of(self, inclusive=False).exists():
            errors[NON_FIELD_ERRORS].append(_("This club already has an accessibility statement."))

    def _check_status(self, errors):
        if self.is_compliant and self.inaccessible_content:
            errors["status"].append(
                _(
                    "A compliant website has no inaccessible content: choose 'partially "
                    "compliant' or remove the listed content."
                )
            )
        elif self.status and not self.is_compliant and not self.inaccessible_content:
            errors["inaccessible_content"].append(
                _("List what is not accessible and why, or choose the status 'compliant'.")
            )

    def _check_dates(self, errors):
        today = timezone.localdate()
        for name in ("site_published_on", "site_updated_on", "prepared_on", "last_reviewed_on"):
            value = getattr(self, name)
            if value and value > today:
                errors[name].append(_("The date cannot be in the future."))
        published, updated = self.site_published_on, self.site_updated_on
        if published and updated and updated < published:
            errors["site_updated_on"].append(
                _("The last update cannot come before the website was published.")
            )
        prepared, reviewed = self.prepared_on, self.last_reviewed_on
        if prepared and reviewed and reviewed < prepared:
            errors["last_reviewed_on"].append(
                _("The review cannot come before the statement was prepared.")
            )

    def _check_burden_analysis(self, errors):
        claimed = any(
            item.value["reason_kind"] == InaccessibleContentBlock.EXCESSIVE_BURDEN
            for item in self.inaccessible_content or []
        )
        if claimed and not self.burden_analysis_url:
            errors["burden_analysis_url"].append(
                _(
                    "Some content is inaccessible because of an excessive burden: link the "
                    "analysis of that burden."
                )
            )

    def _check_assessment(self, errors):
        if self.assessment == self.Assessment.EXTERNAL and not self.assessor_name.strip():
            errors["assessor_name"].append(_("Name the body that assessed the website."))

    def _check_phone(self, errors):
        if self.contact_phone:
            try:
                self.contact_phone = normalize_phone(self.contact_phone)
            except ValidationError as error:
                errors["contact_phone"].extend(error.messages)
        if self.contact_phone_extension and not self.contact_phone_extension.isdigit():
            errors["contact_phone_extension"].append(_("An extension has digits only."))
