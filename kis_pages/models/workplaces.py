"""Socially useful work (prace społecznie użyteczne): one edition per year and its workplaces."""

from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .. import statute
from ..blocks import BodyBlock
from ..formats import choice_display
from ..forms import WorkplaceListPageForm
from ..prepared import run_prepared
from ..preview import HeadlessPreviewMixin
from ..serializers import choice_label, date_display, zloty_display
from ..validators import year_validators


class WorkplaceListPage(HeadlessPreviewMixin, Page):
    """One year's edition: its legal basis, hours, rate and places, and the workplaces."""

    # The edition
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    as_of = models.DateField(
        _("as of"), help_text=_("The date these figures were checked, shown to readers.")
    )
    legal_basis = models.TextField(
        _("legal basis"),
        default=statute.WORKPLACE_LEGAL_BASIS,
        help_text=_("The act that governs this edition; it changed on 1 June 2025."),
    )
    intro = StreamField(
        BodyBlock(),
        verbose_name=_("description"),
        blank=True,
        help_text=_("Who may take part and what the work is."),
    )

    # Hours: what the edition offers, within the limits the law sets for it
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1)]
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours per month"), validators=[MinValueValidator(1)]
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("weekly limit"),
        validators=[MinValueValidator(1)],
        help_text=_("The most hours a week the law allows in this edition, e.g. 10."),
    )
    max_hours_per_month = models.PositiveSmallIntegerField(
        _("monthly limit"),
        validators=[MinValueValidator(1)],
        help_text=_("The most hours a month the law allows in this edition, e.g. 40."),
    )

    # Pay and places
    hourly_rate = models.DecimalField(
        _("hourly rate (PLN)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The benefit per hour in złoty, as set for this edition, e.g. 8.50."),
    )
    places = models.PositiveSmallIntegerField(
        _("number of places"),
        validators=[MinValueValidator(1)],
        help_text=_("How many people the agreement for this year provides for."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.RelatedFields("workplaces", [index.SearchField("unit_name")]),
        index.FilterField("year"),
    ]
    api_fields = [
        APIField("year"),
        APIField("as_of"),
        date_display("as_of"),
        APIField("legal_basis"),
        APIField("intro"),
        APIField("hours_per_week"),
        APIField("hours_per_month"),
        APIField("max_hours_per_week"),
        APIField("max_hours_per_month"),
        APIField("hourly_rate"),
        zloty_display("hourly_rate"),
        APIField("places"),
        APIField("workplaces"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("year"), FieldPanel("as_of")]),
        FieldPanel("legal_basis"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("hours_per_week"), FieldPanel("max_hours_per_week")]),
                FieldRowPanel([FieldPanel("hours_per_month"), FieldPanel("max_hours_per_month")]),
            ],
            heading=_("Hours"),
        ),
        FieldRowPanel([FieldPanel("hourly_rate"), FieldPanel("places")]),
        InlinePanel("workplaces", heading=_("Workplaces"), label=_("workplace")),
    ]

    base_form_class = WorkplaceListPageForm
    parent_page_types = ["kis_pages.ClubPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("socially useful work")
        verbose_name_plural = _("socially useful work")

    def clean(self):
        super().clean()
        errors = {}
        limits = (
            ("hours_per_week", "max_hours_per_week"),
            ("hours_per_month", "max_hours_per_month"),
        )
        for field, limit in limits:
            value, maximum = getattr(self, field), getattr(self, limit)
            if value and maximum and value > maximum:
                errors[field] = _("This is more than the limit of %(limit)s hours.") % {
                    "limit": maximum
                }
        week, month = self.hours_per_week, self.hours_per_month
        if week and month and week > month:
            errors["hours_per_month"] = _("A month cannot have fewer hours than a week.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["workplace_rows"] = self.workplace_rows(request)
        return context

    def workplace_rows(self, request):
        """The workplaces the page lists: a preview's own, as the editor left them; else read
        with a query built and compiled once per process (kis_pages/prepared.py)."""
        if getattr(request, "is_preview", False):
            return list(self.workplaces.all())
        key = ("workplaces", self.pk)
        return run_prepared(Workplace, key, partial(Workplace.objects.filter, edition_id=self.pk))


class Workplace(Orderable):
    """A unit where participants of one edition work."""

    class UnitKind(models.TextChoices):
        OFFICE = "office", _("municipal office")
        SCHOOL = "school", _("school")
        NURSERY = "nursery", _("nursery or kindergarten")
        SOCIAL_CARE = "social_care", _("social care unit")
        HOUSING = "housing", _("housing and property")
        SPORT = "sport", _("sport and recreation")
        CEMETERY = "cemetery", _("cemetery")
        OTHER = "other", _("other")

    edition = ParentalKey(WorkplaceListPage, on_delete=models.CASCADE, related_name="workplaces")
    unit_name = models.CharField(_("unit"), max_length=200)
    unit_kind = models.CharField(_("kind of unit"), max_length=20, choices=UnitKind.choices)
    get_unit_kind_display = choice_display("unit_kind", UnitKind)
    address = models.CharField(_("address"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the agreement does not split places by unit."),
    )

    api_fields = [
        APIField("unit_name"),
        APIField("unit_kind"),
        choice_label("unit_kind"),
        APIField("address"),
        APIField("places"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("unit_name"), FieldPanel("unit_kind")]),
        FieldRowPanel([FieldPanel("address"), FieldPanel("places")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")

    def __str__(self):
        return self.unit_name
