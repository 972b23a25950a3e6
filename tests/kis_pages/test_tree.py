"""Only a valid club tree can be built: each page type has its allowed parents and children."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from bench.bare_page.models import BarePage
from kis_forms.models import EnquiryFormPage
from kis_pages.models import (
    AccessibilityStatementPage,
    ActivityIndexPage,
    ActivityPage,
    AnnouncementIndexPage,
    AnnouncementPage,
    ClubPage,
    EasyReadPage,
    WorkplaceListPage,
)
from kis_pages.tree import children_q, descendants_q


class ClubTreeRulesTests(WagtailPageTestCase):
    def test_club_page_sits_at_the_top_of_a_site(self):
        # Any page type of a host may hold a club: here Wagtail's Page and the bare page the
        # benchmarks and the query-count tests compare with.
        self.assertAllowedParentPageTypes(ClubPage, {Page, BarePage})
        self.assertAllowedSubpageTypes(
            ClubPage,
            {
                ActivityIndexPage,
                WorkplaceListPage,
                AnnouncementIndexPage,
                EnquiryFormPage,
                AccessibilityStatementPage,
                EasyReadPage,
            },
        )

    def test_activities_live_in_the_activity_index_of_a_club(self):
        self.assertAllowedParentPageTypes(ActivityIndexPage, {ClubPage})
        self.assertAllowedSubpageTypes(ActivityIndexPage, {ActivityPage})
        self.assertAllowedParentPageTypes(ActivityPage, {ActivityIndexPage})
        self.assertAllowedSubpageTypes(ActivityPage, set())

    def test_workplace_list_is_a_leaf_under_the_club(self):
        self.assertAllowedParentPageTypes(WorkplaceListPage, {ClubPage})
        self.assertAllowedSubpageTypes(WorkplaceListPage, set())

    def test_announcements_live_in_the_announcement_index_of_a_club(self):
        self.assertAllowedParentPageTypes(AnnouncementIndexPage, {ClubPage})
        self.assertAllowedSubpageTypes(AnnouncementIndexPage, {AnnouncementPage})
        self.assertAllowedParentPageTypes(AnnouncementPage, {AnnouncementIndexPage})
        self.assertAllowedSubpageTypes(AnnouncementPage, set())

    def test_pages_cannot_be_created_outside_their_place(self):
        self.assertCanNotCreateAt(ClubPage, ActivityPage)
        self.assertCanNotCreateAt(ClubPage, AnnouncementPage)
        self.assertCanNotCreateAt(ActivityIndexPage, AnnouncementPage)
        self.assertCanNotCreateAt(WorkplaceListPage, ActivityPage)
        self.assertCanNotCreateAt(ClubPage, ClubPage)

    def test_a_club_has_at_most_one_activity_and_one_announcement_index(self):
        club = ClubPage.objects.get(slug="kis-kedzierzyn-kozle")
        self.assertFalse(ActivityIndexPage.can_create_at(club))
        self.assertFalse(AnnouncementIndexPage.can_create_at(club))
        self.assertTrue(WorkplaceListPage.can_create_at(club))

    def test_enquiry_form_is_a_leaf_under_the_club(self):
        self.assertAllowedParentPageTypes(EnquiryFormPage, {ClubPage})
        self.assertAllowedSubpageTypes(EnquiryFormPage, set())

    def test_statement_and_easy_read_page_are_leaves_one_per_club(self):
        for model in (AccessibilityStatementPage, EasyReadPage):
            self.assertAllowedParentPageTypes(model, {ClubPage})
            self.assertAllowedSubpageTypes(model, set())
            self.assertFalse(model.can_create_at(ClubPage.objects.get(slug="kis-nysa")))


def test_the_prefix_filters_choose_the_pages_wagtail_does(db):
    # descendants_q and children_q test the path's prefix each database's fastest way; on
    # every page of both demo clubs they must pick what Wagtail's own filters pick.
    def ids(queryset):
        return set(queryset.values_list("pk", flat=True))

    pages = Page.objects.all()
    for page in pages:
        assert ids(pages.filter(descendants_q(page))) == ids(pages.descendant_of(page))
        assert ids(pages.filter(descendants_q(page, inclusive=True))) == ids(
            pages.descendant_of(page, inclusive=True)
        )
        assert ids(pages.filter(children_q(page))) == ids(pages.child_of(page))
