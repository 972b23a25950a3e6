"""The public pages' cache: anonymous visits are served from it until what they show changes."""

import datetime
import secrets

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kis_pages import page_cache
from kis_pages.models import (
    AnnouncementIndexPage,
    AnnouncementPage,
    ClubPage,
    ClubSettings,
    WorkplaceListPage,
)
from kis_site.settings.security import security_settings

from ..conftest import KK_HOST
from ..utils import demo_pages, make_announcement, make_announcement_index

TEST_HOST = "test.localhost"


@pytest.fixture(autouse=True)
def _page_cache(settings):
    """The page cache on, and empty (with Redis it outlives a test run)."""
    settings.KIS_PAGES = {"PAGE_CACHE": True}
    cache.clear()


def visit(client, url, host=KK_HOST, status=200):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == status, url
    return response


def kept_then_hit(client, url, host=KK_HOST):
    """Visit twice: the first visit keeps the page, the second is served from the cache."""
    first = visit(client, url, host)
    second = visit(client, url, host)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit"), url
    return second


def test_every_page_of_a_club_is_kept_and_the_second_visit_makes_no_query(
    client, kk_site, django_assert_num_queries
):
    for page in demo_pages(kk_site).values():
        first = visit(client, page.url)
        assert first["X-Cache"] == "miss", page.url
        with django_assert_num_queries(0):
            second = visit(client, page.url)
        assert second["X-Cache"] == "hit"
        if "<form" not in first.content.decode():
            assert second.content == first.content, page.url


def test_a_kept_page_still_gets_the_security_headers_of_each_response(client, kk_site, settings):
    for name, value in security_settings(settings.MIDDLEWARE).items():
        setattr(settings, name, value)
    first = client.get("/", HTTP_HOST=KK_HOST, secure=True)
    second = client.get("/", HTTP_HOST=KK_HOST, secure=True)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    for name in ("Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options"):
        assert second[name] == first[name]


def test_a_published_change_shows_on_the_next_visit_to_every_page_of_the_club(
    client, kk_site, publish
):
    club = kk_site.root_page.specific
    workplaces = WorkplaceListPage.objects.child_of(club).live().first()
    kept_then_hit(client, "/")
    kept_then_hit(client, workplaces.url)

    club.title = "Klub po zmianie nazwy"
    publish(club)

    for url in ("/", workplaces.url):
        response = visit(client, url)
        assert response["X-Cache"] == "miss"
        assert "Klub po zmianie nazwy" in response.content.decode()


def test_an_unpublished_or_deleted_page_is_gone_at_once(client, kk_site, committed):
    workplaces = WorkplaceListPage.objects.child_of(kk_site.root_page).live().first()
    index = AnnouncementIndexPage.objects.child_of(kk_site.root_page).get()
    kept_then_hit(client, workplaces.url)
    kept_then_hit(client, index.url)

    with committed():
        workplaces.unpublish()
    with committed():
        index.delete()

    visit(client, workplaces.url, status=404)
    visit(client, index.url, status=404)


def test_a_moved_page_leaves_its_old_address_and_both_clubs_show_the_move(
    client, kk_site, nysa_site, committed
):
    kk_index = AnnouncementIndexPage.objects.child_of(kk_site.root_page).get()
    nysa_index = make_announcement_index(nysa_site.root_page, slug="komunikaty")
    announcement = AnnouncementPage.objects.child_of(kk_index).live().first()
    old_url = announcement.url
    kept_then_hit(client, old_url)
    kept_then_hit(client, nysa_index.url, host="localhost")

    with committed():
        announcement.move(nysa_index, pos="last-child")

    visit(client, old_url, status=404)
    assert announcement.title in visit(client, nysa_index.url, "localhost").content.decode()


def test_an_announcement_leaves_the_banner_at_midnight_without_anyone_editing(
    settings, notice_ending_tonight
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    notice = notice_ending_tonight
    client = Client()

    for url in ("/", notice.index.url):
        assert notice.title in kept_then_hit(client, url, notice.host).content.decode()

    notice.past_midnight()

    for url in ("/", notice.index.url):
        response = visit(client, url, notice.host)
        assert response["X-Cache"] == "miss"
        assert notice.title not in response.content.decode()


def test_nothing_is_kept_past_the_next_midnight():
    before_midnight = timezone.make_aware(datetime.datetime(2026, 3, 28, 23, 0))
    assert page_cache.seconds_to_midnight(before_midnight) == 3600
    # The night the clocks go forward (Europe/Warsaw): 02:00 is 03:00, the night is shorter.
    assert (
        page_cache.seconds_to_midnight(timezone.make_aware(datetime.datetime(2026, 3, 29, 0, 0)))
        == 23 * 3600
    )


def test_logged_in_users_neither_get_kept_pages_nor_leave_any(client, kk_site, admin_user):
    editor = Client()
    editor.force_login(admin_user)
    kept_then_hit(client, "/")

    assert "X-Cache" not in visit(editor, "/")
    assert "X-Cache" not in visit(editor, "/ogloszenia/")
    assert visit(client, "/ogloszenia/")["X-Cache"] == "miss"


def test_a_response_that_sets_a_cookie_is_not_kept(client, kk_site, monkeypatch):
    serve = ClubPage.serve

    def serve_with_cookie(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        response.set_cookie("visited", "yes")
        return response

    monkeypatch.setattr(ClubPage, "serve", serve_with_cookie)
    for _visit in range(2):
        response = visit(client, "/")
        assert "X-Cache" not in response and response.cookies["visited"].value == "yes"


def test_a_page_restricted_after_it_was_kept_is_not_served_from_the_cache(
    client, kk_site, committed
):
    workplaces = WorkplaceListPage.objects.child_of(kk_site.root_page).live().first()
    kept_then_hit(client, workplaces.url)

    with committed():
        PageViewRestriction.objects.create(
            page=workplaces, restriction_type=PageViewRestriction.PASSWORD, password="tajne"
        )

    response = visit(client, workplaces.url)
    assert "X-Cache" not in response
    assert 'name="password"' in response.content.decode()


def test_club_settings_and_the_contact_worker_outdate_the_clubs_pages(client, kk_site, committed):
    kept_then_hit(client, "/")
    with committed():
        club_settings = ClubSettings.for_site(kk_site)
        club_settings.institution_name = "Centrum Usług Społecznych"
        club_settings.save()
    response = visit(client, "/")
    assert (
        response["X-Cache"] == "miss" and "Centrum Usług Społecznych" in response.content.decode()
    )

    worker = kk_site.root_page.specific.contact_worker
    with committed():
        worker.room = "pokój 999"
        worker.save()
    response = visit(client, "/")
    assert response["X-Cache"] == "miss" and "pokój 999" in response.content.decode()


def test_a_publish_in_one_club_leaves_the_other_clubs_pages_kept(
    client, kk_site, nysa_site, publish
):
    kept_then_hit(client, "/")
    kept_then_hit(client, "/", host="localhost")

    nysa = nysa_site.root_page.specific
    nysa.title = "Nysa po zmianie"
    publish(nysa)

    assert visit(client, "/")["X-Cache"] == "hit"
    assert visit(client, "/", host="localhost")["X-Cache"] == "miss"


def test_switched_off_nothing_is_kept(client, kk_site, settings):
    settings.KIS_PAGES = {"PAGE_CACHE": False}
    assert "X-Cache" not in visit(client, "/")
    assert "X-Cache" not in visit(client, "/")


@pytest.fixture
def kept_keys(settings):
    """The number of keys in the cache, a local-memory one of its own for this test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kept-keys",
        }
    }
    caches["default"].clear()
    return lambda: len(caches["default"]._cache)


def test_random_query_strings_keep_nothing_more(client, kk_site, kept_keys):
    index = AnnouncementIndexPage.objects.child_of(kk_site.root_page).get()
    for url in ("/", index.url):
        kept_then_hit(client, url)
    keys = kept_keys()

    for _ in range(50):
        noise = secrets.token_hex(8)
        for url in (f"/?q={noise}", f"/?{noise}", f"{index.url}?strona={noise}"):
            response = visit(client, url)
            assert "X-Cache" not in response, url

    assert kept_keys() == keys


def test_each_page_of_the_announcement_list_is_kept_once_under_its_number(
    client, kk_site, kept_keys
):
    index = AnnouncementIndexPage.objects.child_of(kk_site.root_page).get()
    for number in range(11):
        make_announcement(index, title=f"Ogłoszenie do stronicowania {number}")
    second = kept_then_hit(client, f"{index.url}?strona=2")
    assert "Ogłoszenie do stronicowania 0" in second.content.decode()
    keys = kept_keys()

    # The same page number written otherwise is the same kept page.
    for query in ("strona=2&", "&strona=2", "strona=%32"):
        assert visit(client, f"{index.url}?{query}")["X-Cache"] == "hit", query
    # A number that is not the page shown, or said twice, is not kept.
    for query in ("strona=02", "strona=3", "strona=2&strona=2", "strona=2&q=1"):
        assert "X-Cache" not in visit(client, f"{index.url}?{query}"), query

    assert kept_keys() == keys


def test_random_host_names_keep_nothing_more(client, nysa_site, kk_site, kept_keys):
    kept_then_hit(client, "/", host="localhost")
    kept_then_hit(client, "/")
    keys = kept_keys()

    # Unknown hosts (Wagtail answers them with the default Site), a known host in other
    # letters, on another port.
    for _ in range(50):
        noise = secrets.token_hex(4)
        for host in (
            f"{noise}.localhost",
            KK_HOST.upper(),
            f"{KK_HOST}:{secrets.randbelow(60000) + 1024}",
        ):
            response = visit(client, "/", host=host)
            assert "X-Cache" not in response, host

    assert kept_keys() == keys
