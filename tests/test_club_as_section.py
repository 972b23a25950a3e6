"""A club may be a section of a host's site, not only a Site of its own: its pages, the
parts that find "the club" (header, menu, banner, contact, feed, accessibility statement),
the enquiry form and the inbox's scope work the same below a host's own page."""

import pytest
from django.test import Client
from wagtail.models import Page, Site

from kis_forms.models import EnquiryFormPage, EnquirySubmission
from kis_forms.permissions import HANDLE, enquiry_policy
from kis_pages.models import AccessibilityStatementPage, AnnouncementIndexPage, ClubPage
from kis_pages.page_cache import sites_showing

from .conftest import KK_HOST
from .kis_forms.conftest import admin_user
from .utils import make_announcement, post_enquiry

HOST_TITLE = "Serwis internetowy ośrodka"


@pytest.fixture
def section(db, settings):
    """Kędzierzyn-Koźle's club moved below the centre's own home page, which is now the
    Site's root: the club lives at /kis-kedzierzyn-kozle/ of the centre's site."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}
    site = Site.objects.get(hostname=KK_HOST)
    club = site.root_page.specific
    host_home = Page(title=HOST_TITLE, slug="mops")
    Page.get_first_root_node().add_child(instance=host_home)
    site.root_page = host_home
    site.save()
    club.move(host_home, pos="last-child")
    club.refresh_from_db()
    notice = make_announcement(
        AnnouncementIndexPage.objects.child_of(club).get(),
        title="Zmiana godzin dyżuru",
        category="crisis",
        pinned=True,
    )
    return {"site": site, "club": club, "notice": notice, "prefix": f"/{club.slug}/"}


def test_an_editor_may_add_a_club_below_a_host_sites_own_page(section):
    host_home = section["site"].root_page
    assert ClubPage.can_create_at(host_home)


def test_every_page_of_a_club_in_a_section_has_its_header_banner_and_contact(section):
    club, prefix = section["club"], section["prefix"]
    client = Client(HTTP_HOST=KK_HOST)
    pages = club.get_descendants(inclusive=True).live().specific()
    assert len(pages) >= 9
    for page in pages:
        url = page.relative_url(section["site"])
        assert url.startswith(prefix)
        html = client.get(url).content.decode()
        assert f'<a href="{prefix}"' in html, url  # the header names the club, not the host
        assert HOST_TITLE not in html, url
        assert section["notice"].title in html, url
        assert club.contact_worker.name in html, url


def test_the_announcement_feed_is_titled_with_the_club_not_the_host(section):
    index = AnnouncementIndexPage.objects.child_of(section["club"]).get()
    response = Client(HTTP_HOST=KK_HOST).get(index.relative_url(section["site"]) + "feed/")
    feed = response.content.decode()
    assert f"<title>{section['club'].title}: " in feed
    assert HOST_TITLE not in feed


def test_the_accessibility_statement_covers_the_clubs_own_address(section):
    statement = AccessibilityStatementPage.objects.child_of(section["club"]).get()
    statement.site_url = ""
    assert statement.website_url() == section["club"].get_full_url()
    assert statement.website_url().endswith(f"{KK_HOST}:{section['site'].port}{section['prefix']}")


def test_an_enquiry_to_a_club_in_a_section_reaches_only_its_own_moderators(
    section, django_user_model
):
    club = section["club"]
    form_page = EnquiryFormPage.objects.child_of(club).get()
    response = post_enquiry(Client(HTTP_HOST=KK_HOST), form_page.relative_url(section["site"]))
    assert response.status_code == 303
    enquiry = EnquirySubmission.objects.get(page=form_page)

    own = admin_user(django_user_model, "moderator-kk", club, HANDLE)
    nysa = Site.objects.get(is_default_site=True).root_page
    other = admin_user(django_user_model, "moderator-nysa", nysa, HANDLE)
    assert enquiry in enquiry_policy.instances_user_has_permission_for(own, "view")
    assert enquiry not in enquiry_policy.instances_user_has_permission_for(other, "view")


def test_a_publish_in_the_section_outdates_the_host_sites_kept_pages(section):
    assert sites_showing(section["notice"]) == [section["site"].pk]
