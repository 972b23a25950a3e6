"""A page under a view restriction (a password, a login or groups) is listed nowhere public.

The club home's cards, the crisis banner, the announcement and activity lists, the menu and
the RSS feed leave out every page that a restriction on itself or on a page between it and
the list's own page holds back. A visitor who may view the list's page has passed the
restrictions above it, so a club restricted as a whole still lists its pages to them.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from kis_pages.models import (
    ActivityIndexPage,
    ActivityPage,
    AnnouncementIndexPage,
    AnnouncementPage,
    WorkplaceListPage,
)

from ..conftest import KK_HOST
from ..utils import make_announcement

# Every public list of a club: its home, an ordinary page (menu and banner), both index
# pages and the feed.
LISTS = ["/", "/deklaracja-dostepnosci/", "/zajecia/", "/ogloszenia/", "/ogloszenia/feed/"]


def restrict(page, kind=PageViewRestriction.PASSWORD):
    if kind == PageViewRestriction.PASSWORD:
        return PageViewRestriction.objects.create(page=page, restriction_type=kind, password="x")
    return PageViewRestriction.objects.create(page=page, restriction_type=kind)


def lists_of_kedzierzyn_kozle(client):
    """The HTML (and RSS) of every public list of the club, by address."""
    found = {}
    for url in LISTS:
        response = client.get(url, HTTP_HOST=KK_HOST)
        assert response.status_code == 200, url
        found[url] = response.content.decode()
    return found


def kk_page(model, **lookups):
    club = Site.objects.get(hostname=KK_HOST).root_page
    return model.objects.descendant_of(club).get(**lookups)


def test_a_restricted_crisis_announcement_leaves_home_banner_list_and_feed(client, kk_site):
    notice = kk_page(AnnouncementPage, category="crisis")
    before = lists_of_kedzierzyn_kozle(client)
    for url in LISTS:
        assert notice.title in before[url], url  # banner, card, list, feed
    assert notice.summary[:60] in before["/ogloszenia/"]

    restrict(notice)

    after = lists_of_kedzierzyn_kozle(client)
    for url, html in after.items():
        assert notice.title not in html, url
        assert notice.summary[:60] not in html, url


def test_a_login_restricted_activity_leaves_the_club_home_and_the_activity_list(client, kk_site):
    activity = kk_page(ActivityPage, slug="warsztaty-psychoedukacyjne")
    before = lists_of_kedzierzyn_kozle(client)
    assert activity.title in before["/"] and activity.title in before["/zajecia/"]

    restrict(activity, PageViewRestriction.LOGIN)

    after = lists_of_kedzierzyn_kozle(client)
    assert activity.title not in after["/"] and activity.title not in after["/zajecia/"]
    assert activity.summary[:60] not in after["/"] + after["/zajecia/"]


def test_a_restricted_workplace_list_leaves_the_club_home_cards_and_the_menu(client, kk_site):
    edition = kk_page(WorkplaceListPage)
    before = lists_of_kedzierzyn_kozle(client)
    assert edition.title in before["/"] and edition.title in before["/deklaracja-dostepnosci/"]

    restrict(edition, PageViewRestriction.GROUPS)

    after = lists_of_kedzierzyn_kozle(client)
    for url in ("/", "/deklaracja-dostepnosci/", "/zajecia/"):
        assert edition.title not in after[url], url


def test_a_restricted_list_takes_what_it_holds_out_of_every_other_list(client, kk_site):
    activities = kk_page(ActivityIndexPage)
    announcements = kk_page(AnnouncementIndexPage)
    activity = ActivityPage.objects.child_of(activities).first()
    notice = AnnouncementPage.objects.child_of(announcements).first()

    restrict(activities)
    restrict(announcements, PageViewRestriction.LOGIN)

    for url in ("/", "/deklaracja-dostepnosci/"):
        html = client.get(url, HTTP_HOST=KK_HOST).content.decode()
        assert activity.title not in html and notice.title not in html, url
        assert f'href="{activities.url}"' not in html and f'href="{announcements.url}"' not in html


def test_a_club_restricted_as_a_whole_still_lists_its_pages_to_who_gave_the_password(
    client, kk_site
):
    club = kk_site.root_page.specific
    restriction = restrict(club)
    notice = kk_page(AnnouncementPage, category="crisis")
    activity = kk_page(ActivityPage, slug="warsztaty-psychoedukacyjne")

    refused = client.get("/", HTTP_HOST=KK_HOST).content.decode()
    assert notice.title not in refused and activity.title not in refused
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{club.pk}/",
        {"password": "x", "return_url": "/"},
        HTTP_HOST=KK_HOST,
    )
    assert response.status_code == 302

    home = client.get("/", HTTP_HOST=KK_HOST).content.decode()
    assert notice.title in home and activity.title in home
    assert 'class="site-nav"' in home


def test_leaving_out_restricted_pages_takes_no_query_of_its_own(client, kk_site):
    def queries(url):
        client.get(url, HTTP_HOST=KK_HOST)  # warms per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, HTTP_HOST=KK_HOST).status_code == 200
        reading_restrictions = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith('SELECT "wagtailcore_pageviewrestriction"')
        ]
        # Only Wagtail's own check of the page being served reads them on its own.
        assert len(reading_restrictions) == 1, (url, reading_restrictions)
        return len(captured)

    # Every list keeps an item to show, so it reads as many rows as before.
    make_announcement(kk_page(AnnouncementIndexPage), category="crisis", pinned=True)
    before = {url: queries(url) for url in LISTS}
    restrict(kk_page(ActivityPage, slug="grupy-wsparcia"))
    restrict(kk_page(AnnouncementPage, category="crisis", pinned=True, slug__startswith="zasady"))

    assert {url: queries(url) for url in LISTS} == before
