"""What the club offers: workshops, consultations, support groups and classes."""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from ..formats import choice_display
from ..prepared import run_prepared
from ..preview import HeadlessPreviewMixin
from ..restrictions import unrestricted_below
from ..route import OneQueryRouteMixin
from ..serializers import choice_label
from ..tree import children_q


class ActivityIndexPage(HeadlessPreviewMixin, OneQueryRouteMixin, Page):
    """The list of the club's activities."""

    intro = models.TextField(_("introduction"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["kis_pages.ClubPage"]
    subpage_types = ["kis_pages.ActivityPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("list of activities")
        verbose_name_plural = _("lists of activities")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Built and compiled once per process for this list (kis_pages/prepared.py).
        key = ("activities", self.pk, self.path, self.depth)
        context["activities"] = run_prepared(ActivityPage, key, partial(_listed_activities, self))
        return context


def _listed_activities(index):
    """The activities the list shows; the cards show no body, which is neither read nor parsed."""
    listed = ActivityPage.objects.live().filter(children_q(index)).defer_streamfields()
    return unrestricted_below(listed, index)


class ActivityPage(HeadlessPreviewMixin, Page):
    """One activity: who leads it, in groups or one to one, when and where."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        CONSULTATION = "consultation", _("individual consultation")
        SUPPORT_GROUP = "support_group", _("support group")
        COMPUTER_CLASS = "computer_class", _("computer class")
        COUNSELLING = "counselling", _("specialist counselling")
        OTHER = "other", _("other")

    class Format(models.TextChoices):
        GROUP = "group", _("in a group")
        INDIVIDUAL = "individual", _("one to one")

    # What it is
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    specialist_role = models.CharField(
        _("led by"),
        max_length=150,
        blank=True,
        help_text=_("The specialist's role, e.g. 'doradca zawodowy' or 'psycholog'."),
    )
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in lists.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)

    # Groups
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.GROUP
    )
    get_kind_display = choice_display("kind", Kind)
    get_format_display = choice_display("format", Format)
    group_count = models.PositiveSmallIntegerField(
        _("number of groups"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    group_size_min = models.PositiveSmallIntegerField(
        _("smallest group"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    group_size_max = models.PositiveSmallIntegerField(
        _("largest group"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    # When, where and how to book
    schedule = models.CharField(
        _("when"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'wtorki i czwartki, 10:00–12:00' or 'po umówieniu terminu'."),
    )
    room = models.CharField(_("where"), max_length=200, blank=True)
    booking = models.TextField(
        _("how to sign up"),
        blank=True,
        help_text=_("E.g. 'Termin konsultacji prosimy uzgodnić telefonicznie.'"),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("specialist_role"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]
    api_fields = [
        APIField("kind"),
        choice_label("kind"),
        APIField("specialist_role"),
        APIField("summary"),
        APIField("body"),
        APIField("format"),
        choice_label("format"),
        APIField("group_count"),
        APIField("group_size_min"),
        APIField("group_size_max"),
        APIField("schedule"),
        APIField("room"),
        APIField("booking"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("specialist_role")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("format"),
                FieldRowPanel(
                    [
                        FieldPanel("group_count"),
                        FieldPanel("group_size_min"),
                        FieldPanel("group_size_max"),
                    ]
                ),
            ],
            heading=_("Groups"),
            help_text=_("Group sizes are for group activities only."),
        ),
        MultiFieldPanel(
            [FieldPanel("schedule"), FieldPanel("room"), FieldPanel("booking")],
            heading=_("When, where and how to sign up"),
        ),
    ]

    parent_page_types = ["kis_pages.ActivityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def clean(self):
        super().clean()
        if self.format == self.Format.INDIVIDUAL:
            group_fields = ("group_count", "group_size_min", "group_size_max")
            errors = {
                name: _("Leave empty for a one-to-one activity.")
                for name in group_fields
                if getattr(self, name) is not None
            }
            if errors:
                raise ValidationError(errors)
        if (
            self.group_size_min is not None
            and self.group_size_max is not None
            and self.group_size_min > self.group_size_max
        ):
            raise ValidationError(
                {"group_size_max": _("The largest group cannot be smaller than the smallest.")}
            )
