"""The club's home page: who it is for, how to join, what it does and whom to contact."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .. import statute
from ..blocks import BodyBlock
from ..preview import HeadlessPreviewMixin
from ..route import OneQueryRouteMixin
from ..serializers import ClubSettingsSerializer, SocialWorkerSerializer
from ..validators import postal_code_validator, year_validators
from .accessibility import AccessibilityStatementPage
from .club_pages import read_club_pages
from .easy_read import EasyReadPage
from .settings import ClubSettings


def default_eligible_groups():
    """The statutory list of groups, as StreamField data."""
    return [("group", text) for text in statute.ELIGIBLE_GROUPS]


class ClubPageQuerySet(PageQuerySet):
    def select_for_update(self, *args, **kwargs):
        """Lock the clubs' rows alone (treebeard does when a page is added under a club):
        PostgreSQL refuses to lock the nullable side of the join to the contact worker."""
        return super().select_for_update(*args, **kwargs).select_related(None)


class ClubPageManager(PageManager.from_queryset(ClubPageQuerySet)):
    """Clubs with their contact worker and the worker's deputy, whom every page of the club
    shows: Wagtail reads the club through this manager when it routes a request."""

    def get_queryset(self):
        return super().get_queryset().select_related("contact_worker__deputy")


class ClubPage(HeadlessPreviewMixin, OneQueryRouteMixin, Page):
    """The home of one Klub Integracji Społecznej; the root page of its Site."""

    # Description
    intro = models.TextField(
        _("lead"),
        max_length=600,
        help_text=_("Two or three sentences saying what the club is and whom it helps."),
    )
    description = StreamField(
        BodyBlock(),
        verbose_name=_("about the club"),
        blank=True,
        help_text=_("Where the club works, since when, who leads it, what rooms it has."),
    )

    # Law and eligibility
    legal_basis = models.TextField(
        _("legal basis"),
        default=statute.LEGAL_BASIS,
        help_text=_("The act and article the club is founded on."),
    )
    register_number = models.CharField(
        _("voivode's register number"),
        max_length=50,
        blank=True,
        help_text=_("The club's number in the register kept by the voivode (art. 18a)."),
    )
    annual_report_url = models.URLField(
        _("annual report"),
        blank=True,
        help_text=_("Link to the latest yearly report, due by 31 March (art. 18a)."),
    )
    eligible_groups = StreamField(
        [("group", blocks.CharBlock(label=_("Group"), max_length=300))],
        verbose_name=_("who may take part"),
        default=default_eligible_groups,
        help_text=_("The statutory list is filled in; adapt it to the club's programme."),
    )
    eligibility_note = models.TextField(
        _("note on eligibility"),
        blank=True,
        help_text=_("E.g. that all participants must also be at risk of social exclusion."),
    )
    how_to_join = RichTextField(
        _("how to join"),
        default=statute.HOW_TO_JOIN,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Voluntary participation, the kontrakt socjalny, the certificate at the end."),
    )
    goals = StreamField(
        BodyBlock(),
        verbose_name=_("goals and tasks"),
        blank=True,
        help_text=_("What the club aims at and what it does, best as lists."),
    )

    # Where and by whom
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=100)
    host_institution = models.CharField(
        _("host institution"),
        max_length=200,
        help_text=_(
            "The welfare centre that runs the club, e.g. 'Ośrodek Pomocy Społecznej w Nysie'."
        ),
    )
    founded_year = models.PositiveSmallIntegerField(
        _("running since (year)"), null=True, blank=True, validators=year_validators
    )
    funding = models.TextField(
        _("funding"),
        blank=True,
        help_text=_("Projects or funds that co-finance the club, e.g. the European Social Fund."),
    )
    contact_worker = models.ForeignKey(
        "kis_pages.SocialWorker",
        verbose_name=_("contact worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clubs",
        help_text=_("Shown on every page of the club as the person to call."),
    )

    objects = ClubPageManager()
    draws_lists = False  # set while the club's home is drawn: its lists join the one query

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("eligible_groups"),
        index.SearchField("goals"),
        index.FilterField("city"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("description"),
        APIField("legal_basis"),
        APIField("register_number"),
        APIField("annual_report_url"),
        APIField("eligible_groups"),
        APIField("eligibility_note"),
        APIField("how_to_join"),
        APIField("goals"),
        APIField("street"),
        APIField("postal_code"),
        APIField("city"),
        APIField("host_institution"),
        APIField("founded_year"),
        APIField("funding"),
        APIField("contact_worker", serializer=SocialWorkerSerializer()),
        APIField("contact", serializer=SocialWorkerSerializer()),
        APIField("club_settings", serializer=ClubSettingsSerializer()),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("eligible_groups"),
                FieldPanel("eligibility_note"),
                FieldPanel("how_to_join"),
            ],
            heading=_("Who may take part and how to join"),
        ),
        FieldPanel("goals"),
        MultiFieldPanel(
            [
                FieldPanel("host_institution"),
                FieldPanel("street"),
                FieldPanel("postal_code"),
                FieldPanel("city"),
                FieldPanel("founded_year"),
                FieldPanel("funding"),
                FieldPanel("contact_worker"),
            ],
            heading=_("Where and by whom"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("legal_basis"),
                FieldPanel("register_number"),
                FieldPanel("annual_report_url"),
            ],
            heading=_("Legal status"),
        ),
    ]

    # No parent_page_types: a club is a Site's root or a section anywhere in a host's tree.
    # A type a club may hold any number of comes first: the admin's "add child page" check
    # (once per club in the explorer) stops at the first type that fits, and a type with
    # max_count_per_parent costs a count of the club's children to try.
    subpage_types = [
        "kis_pages.WorkplaceListPage",
        "kis_pages.ActivityIndexPage",
        "kis_pages.AnnouncementIndexPage",
        "kis_forms.EnquiryFormPage",
        "kis_pages.AccessibilityStatementPage",
        "kis_pages.EasyReadPage",
    ]

    class Meta:
        verbose_name = _("club home page")
        verbose_name_plural = _("club home pages")

    def clean(self):
        super().clean()
        if self.founded_year and self.founded_year > timezone.localdate().year:
            raise ValidationError({"founded_year": _("The year cannot be in the future.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Cards and links, read with the menu and the banner when first drawn (not at all
        # when the fragment cache has them): their pages' StreamFields (the bodies, a list of
        # 200 workplaces) are neither read nor parsed.
        self.draws_lists = True
        for name in ("activities", "workplace_editions", "announcements"):
            context[name] = SimpleLazyObject(partial(self._home_list, name))
        return context

    def _home_list(self, name):
        """One of the home's lists, from the one query (again with them, if it was read
        before the lists were asked for)."""
        if not self.club_pages.lists:
            self.__dict__["club_pages"] = read_club_pages(self, lists=True)
        return getattr(self.club_pages, name)

    @property
    def contact(self):
        """The worker residents should call today: the contact worker, or their deputy while
        the contact worker is away; None without a contact worker."""
        return self.contact_worker.who_answers() if self.contact_worker else None

    @property
    def club_settings(self):
        """The settings of the Site the club is on, as its pages show them; None off any Site."""
        site = self.get_site()
        return ClubSettings.for_site(site) if site else None

    @cached_property
    def club_pages(self):
        """The pages every page of the club draws, read once for the page being shown
        (kis_pages/models/club_pages.py); the home reads its lists in the same query."""
        return read_club_pages(self, lists=self.draws_lists)

    @property
    def live_children(self):
        """The club home's live, unrestricted children in tree order: the menu, the
        accessibility links and the link to all announcements come from them."""
        return self.club_pages.children

    @property
    def banner(self):
        """The current pinned crisis announcements, newest first, at most five."""
        return self.club_pages.banner

    def live_child_of_type(self, page_class):
        """The first live child that is a `page_class`, or None."""
        return next(
            (page for page in self.live_children if issubclass(page.specific_class, page_class)),
            None,
        )

    def accessibility_pages(self):
        """The live accessibility statement and easy-to-read page, each or None."""
        return {
            "statement": self.live_child_of_type(AccessibilityStatementPage),
            "easy_read": self.live_child_of_type(EasyReadPage),
        }
