"""With nothing cached, every page type of ours makes at most two queries more than the bare
Wagtail page the page benchmark compares with (bench/bare_page, a child of the club's home):
the club, its contact worker, its settings, its menu, banner and lists, and a page one level
deeper, cost no more than that. And a page served through routing is the same as the page
read afresh and served on its own, which finds its club and reads its parts without routing's
help."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from bench.bare_page.models import BarePage
from kis_pages import page_cache
from kis_pages.models import AnnouncementIndexPage, ClubPage

from ..conftest import KK_HOST
from ..utils import DEMO_PAGE_TYPES, demo_pages, make_announcement

MOST_QUERIES_ABOVE_BARE = 2
# Queries above the bare page, per page type (the club's own children are read with their
# type in one query, where Wagtail takes two): lower is welcome, then lower the figure.
QUERIES_ABOVE_BARE = {
    "kis_pages.ClubPage": 0,  # settings; menu, banner and the home's lists; routing spared
    "kis_pages.ActivityIndexPage": 2,  # settings; menu and banner; the activities
    "kis_pages.ActivityPage": 2,  # a level deeper (one query); settings; menu and banner
    "kis_pages.WorkplaceListPage": 2,  # settings; menu and banner; the workplaces
    "kis_pages.AnnouncementIndexPage": 2,  # settings; menu and banner; a page and its count
    "kis_pages.AnnouncementPage": 2,  # a level deeper (one query); settings; menu and banner
    "kis_forms.EnquiryFormPage": 2,  # settings; menu and banner; the form's fields
    "kis_pages.AccessibilityStatementPage": 1,  # settings; menu and banner
    "kis_pages.EasyReadPage": 1,  # settings; menu and banner
}


@pytest.fixture
def bare_page(kk_site):
    """The path of a bare Wagtail page under Kędzierzyn-Koźle's home, as the benchmark's."""
    page = kk_site.root_page.add_child(instance=BarePage(title="Strona Wagtaila", slug="bare"))
    return page.relative_url(kk_site)


def queries(client, url):
    """How many queries the page at `url` makes, served a second time (as a warm server)."""
    client.get(url, HTTP_HOST=KK_HOST)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST=KK_HOST)
    assert response.status_code == 200, url
    return len(captured)


def without_tokens(content):
    for name in page_cache.per_visitor_fields():
        content = page_cache.input_value(name).sub(rb"\1", content)
    return content.decode()


def test_every_page_type_makes_at_most_two_queries_more_than_the_bare_page(
    client, kk_site, bare_page, django_assert_num_queries
):
    index = AnnouncementIndexPage.objects.child_of(kk_site.root_page).get()
    make_announcement(index, title="Awaria wody", category="crisis", pinned=True)  # a banner
    bare = queries(client, bare_page)

    pages = demo_pages(kk_site)
    for name, _field in DEMO_PAGE_TYPES:  # every type has its figure, within the bound
        above = QUERIES_ABOVE_BARE[name]
        assert above <= MOST_QUERIES_ABOVE_BARE, name
        url = pages[name].relative_url(kk_site)
        client.get(url, HTTP_HOST=KK_HOST)
        with django_assert_num_queries(bare + above):
            assert client.get(url, HTTP_HOST=KK_HOST).status_code == 200, name


def test_every_demo_page_routed_is_the_same_as_read_afresh_and_served_alone(
    client, kk_site, nysa_site
):
    factory = RequestFactory()
    for site in (kk_site, nysa_site):
        for page in site.root_page.get_descendants(inclusive=True).live().specific():
            url = page.relative_url(site)
            routed = client.get(url, HTTP_HOST=site.hostname)
            request = factory.get(url, HTTP_HOST=site.hostname)
            request.user = routed.wsgi_request.user
            request.session = client.session
            alone = Page.objects.get(pk=page.pk).specific.serve(request)
            alone.render()
            assert without_tokens(alone.content) == without_tokens(routed.content), url


def test_a_page_can_be_added_under_a_club_which_is_read_with_its_worker(kk_site):
    """Treebeard locks the parent's row; on PostgreSQL a lock reaching the club's contact
    worker through its (nullable) join would be refused."""
    club = ClubPage.objects.get(pk=kk_site.root_page_id)
    with transaction.atomic():
        child = club.add_child(instance=BarePage(title="Nowa strona", slug="nowa-strona"))
    assert child.get_parent().pk == club.pk
    assert club.contact_worker is not None
