"""Announcements: paginated, newest first, with a feed; current crisis notices as a banner."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import BodyBlock
from ..feeds import AnnouncementFeed
from ..formats import choice_display
from ..pagination import OneQueryPaginator
from ..preview import HeadlessPreviewMixin
from ..query_read import read_query
from ..restrictions import unrestricted_below
from ..route import OneQueryRouteMixin
from ..serializers import FlagField, choice_label, date_display
from ..tree import children_q

ANNOUNCEMENTS_PER_PAGE = 10


def current_on(day):
    """The rule for an announcement shown on `day`: from its first day through its last, or
    on while it has none. Days are the club's local dates (`timezone.localdate()`), so an
    announcement leaves at local midnight. The queryset filters by it and each announcement
    checks itself against it, so the lists, the banner and the API never disagree."""
    return Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def banner_on(day):
    """The rule for the banner on `day`: a current, pinned crisis announcement."""
    return current_on(day) & Q(pinned=True, category=AnnouncementPage.Category.CRISIS)


class AnnouncementQuerySet(PageQuerySet):
    """Announcements filtered by the date of the request, so expiry needs no one's action."""

    def current(self):
        """Announcements valid today: started, and not yet past their last day."""
        return self.filter(current_on(timezone.localdate()))

    def newest_first(self):
        return self.order_by("-pinned", "-date", "-pk")

    def banner(self):
        """Current pinned crisis announcements: shown on every page of the club."""
        return self.filter(banner_on(timezone.localdate()))


AnnouncementManager = PageManager.from_queryset(AnnouncementQuerySet)


class AnnouncementIndexPage(HeadlessPreviewMixin, RoutablePageMixin, OneQueryRouteMixin, Page):
    """The club's announcements, with an RSS feed at feed/."""

    intro = models.TextField(_("introduction"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["kis_pages.ClubPage"]
    subpage_types = ["kis_pages.AnnouncementPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("announcements")
        verbose_name_plural = _("announcement lists")

    def current_announcements(self, day=None):
        """What readers should see on `day` (today), pinned first, then newest first."""
        announcements = AnnouncementPage.objects.live().filter(
            children_q(self), current_on(day or timezone.localdate())
        )
        return unrestricted_below(announcements, self).newest_first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        day = timezone.localdate()
        key = ("announcements", self.pk, self.path, self.depth, day)

        def listed():  # the cards show no body: it is neither read nor parsed
            return self.current_announcements(day).defer_streamfields()

        paginator = OneQueryPaginator(AnnouncementPage, key, listed, ANNOUNCEMENTS_PER_PAGE)
        announcements = paginator.get_page(request.GET.get("strona"))
        read_query(request, strona=announcements.number)
        context["announcements"] = announcements
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        return AnnouncementFeed(self)(request)


class AnnouncementPage(HeadlessPreviewMixin, Page):
    """One announcement with the dates it is valid and a category."""

    class Category(models.TextChoices):
        CRISIS = "crisis", _("crisis or safety")
        DEADLINES = "deadlines", _("deadlines and applications")
        CLUB = "club", _("club life")

    # Dates
    date = models.DateField(_("date"), default=timezone.localdate)
    valid_from = models.DateField(
        _("show from"),
        default=timezone.localdate,
        help_text=_("The announcement appears on the site from this day."),
    )
    valid_until = models.DateField(
        _("show until"),
        null=True,
        blank=True,
        help_text=_("The last day it is shown. Leave empty for 'until further notice'."),
    )

    # Kind and text
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.CLUB
    )
    get_category_display = choice_display("category", Category)
    pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_(
            "Pinned announcements come first; a pinned crisis announcement is also shown "
            "as a banner on every page of the club while it is valid."
        ),
    )
    summary = models.TextField(_("summary"), max_length=400, help_text=_("Shown in lists."))
    body = StreamField(BodyBlock(), verbose_name=_("text"))

    objects = AnnouncementManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("valid_from"),
        index.FilterField("valid_until"),
    ]
    api_fields = [
        APIField("date"),
        date_display("date"),
        APIField("valid_from"),
        date_display("valid_from"),
        APIField("valid_until"),
        date_display("valid_until"),
        APIField("category"),
        choice_label("category"),
        APIField("pinned"),
        APIField("is_current", serializer=FlagField()),
        APIField("is_banner", serializer=FlagField()),
        APIField("summary"),
        APIField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
            ],
            heading=_("Dates"),
        ),
        FieldRowPanel([FieldPanel("category"), FieldPanel("pinned")]),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]

    parent_page_types = ["kis_pages.AnnouncementIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def clean(self):
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The last day cannot come before the first day.")}
            )

    @property
    def is_current(self):
        """Whether the announcement is shown today, by `current_on`."""
        return self._meets(current_on)

    @property
    def is_banner(self):
        """Whether the announcement is in the club's banner today, by `banner_on`."""
        return self._meets(banner_on)

    def _meets(self, rule):
        """Whether this announcement's own values meet `rule` today: the database evaluates
        the very condition the queryset filters by (one query that reads no table)."""
        values = {
            name: Value(getattr(self, name), output_field=self._meta.get_field(name))
            for name in ("valid_from", "valid_until", "pinned", "category")
        }
        return rule(timezone.localdate()).check(values)
