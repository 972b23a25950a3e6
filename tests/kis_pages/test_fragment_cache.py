"""The parts of club pages kept in the cache (kis_pages/fragment_cache.py): the same page
as drawn afresh, fewer queries, and every change shown on the next render, to visitors the
page cache does not serve (here a logged-in editor)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from kis_pages import page_cache
from kis_pages.models import ActivityIndexPage, ClubSettings

from ..conftest import KK_HOST
from ..utils import make_workplace_list

# Tables only the shared parts read from: the menu's pages come from wagtailcore_page like
# the page itself, so the parts are told by the contact worker and the club's settings.
SHARED_PART_TABLES = ('FROM "kis_pages_socialworker"', 'FROM "kis_pages_clubsettings"')


@pytest.fixture(autouse=True)
def _fragment_cache(settings):
    """Parts kept, whole pages not; the cache empty (with Redis it outlives a test run)."""
    settings.KIS_PAGES = {"PAGE_CACHE": False, "FRAGMENT_CACHE": True}
    cache.clear()


def html_of(client, url, host=KK_HOST):
    """The page, with the values each render gives afresh (form tokens) blanked."""
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, url
    content = response.content
    for name in page_cache.per_visitor_fields():
        content = page_cache.input_value(name).sub(rb"\1", content)
    return content.decode()


def shared_part_sql(queries):
    """Of the captured `queries`, those only the shared parts make."""
    return [q["sql"] for q in queries if any(t in q["sql"] for t in SHARED_PART_TABLES)]


def shared_part_queries(client, url, host=KK_HOST):
    """The queries a render of `url` makes that only the shared parts need."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST=host)
    return shared_part_sql(queries)


def test_every_page_of_both_clubs_is_the_same_with_its_parts_from_the_cache(
    client, kk_site, nysa_site, settings
):
    for year in (2030, 2031):  # two pages of one type in the menu: each marked current on its own
        make_workplace_list(kk_site.root_page, title=f"Prace {year}", year=year, show_in_menus=True)
    pages = [
        (page.url, host)
        for site, host in ((kk_site, KK_HOST), (nysa_site, "localhost"))
        for page in site.root_page.get_descendants(inclusive=True).live()
    ]
    settings.KIS_PAGES = {"PAGE_CACHE": False, "FRAGMENT_CACHE": False}
    drawn = {page: html_of(client, *page) for page in pages}
    settings.KIS_PAGES = {"PAGE_CACHE": False, "FRAGMENT_CACHE": True}

    for page in pages:
        html_of(client, *page)  # keeps the parts
    for page in pages:
        assert html_of(client, *page) == drawn[page], page


def test_the_second_render_reads_neither_settings_nor_the_menu_nor_the_lists(client, kk_site):
    """The contact worker comes with the club as Wagtail routes to it; the settings, and the
    one query for the menu, the banner and the home's lists, are spared."""
    counts, shared = [], []
    for _visit in range(2):
        with CaptureQueriesContext(connection) as queries:
            html_of(client, "/")
        counts.append(len(queries))
        shared.append(shared_part_sql(queries))

    assert shared[0] and not shared[1]
    assert counts[1] <= counts[0] - 2


def test_a_published_page_shows_in_the_menu_and_the_home_lists_at_once(
    admin_client, kk_site, publish
):
    club = kk_site.root_page.specific
    activities = ActivityIndexPage.objects.child_of(club).get()
    for url in ("/", activities.url):
        assert "Galeria prac" not in html_of(admin_client, url)
        assert shared_part_queries(admin_client, url) == []  # now kept

    edition = make_workplace_list(club, title="Galeria prac", year=2027, live=False)
    edition.show_in_menus = True
    publish(edition)

    for url in ("/", activities.url):
        nav = re.search(r'<nav class="site-nav".*?</nav>', html_of(admin_client, url), re.S)
        assert "Galeria prac" in nav.group(0), url
    home_list = re.search(r'<ul class="link-items">.*?</ul>', html_of(admin_client, "/"), re.S)
    assert "Galeria prac" in home_list.group(0)


def test_the_contact_worker_and_the_club_settings_show_changed_at_once(
    admin_client, kk_site, committed
):
    html_of(admin_client, "/")
    worker = kk_site.root_page.specific.contact_worker
    settings_row = ClubSettings.for_site(kk_site)

    with committed():
        worker.name = "Ewa Zmieniona"
        worker.save()
    with committed():
        settings_row.institution_name = "Miejski Ośrodek po zmianie"
        settings_row.save()

    html = html_of(admin_client, "/")
    assert "Ewa Zmieniona" in html
    assert "Miejski Ośrodek po zmianie" in html


def test_the_other_clubs_parts_are_never_shown(client, kk_site, nysa_site, committed):
    html_of(client, "/", KK_HOST)
    with committed():
        row = ClubSettings.for_site(nysa_site)
        row.institution_name = "Tylko w Nysie"
        row.save()

    assert "Tylko w Nysie" in html_of(client, "/", "localhost")
    assert "Tylko w Nysie" not in html_of(client, "/", KK_HOST)


def test_a_crisis_notice_leaves_the_banner_at_midnight_without_anyone_editing(
    admin_client, notice_ending_tonight
):
    notice = notice_ending_tonight
    for _visit in range(2):  # drawn, then from the cache
        assert notice.title in html_of(admin_client, "/", notice.host)

    notice.past_midnight()

    assert notice.title not in html_of(admin_client, "/", notice.host)


def test_a_preview_shows_the_draft_in_the_header_though_the_live_header_was_kept(client, kk_site):
    club = kk_site.root_page.specific
    html_of(client, "/")
    live_title = club.title

    club.title = "Szkic nowej nazwy klubu"
    preview = club.make_preview_request().content.decode()

    header = re.search(r'<header class="site-header">.*?</header>', preview, re.S).group(0)
    assert "Szkic nowej nazwy klubu" in header
    assert live_title in html_of(client, "/")


def test_templates_that_fill_a_part_their_own_way_keep_it_apart(rf, kk_site, settings, tmp_path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.html").write_text(
            '{% extends "kis_pages/base.html" %}{% block footer_links %}<p>'
            + name
            + "</p>{% endblock %}"
        )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    request = rf.get("/", HTTP_HOST=KK_HOST)
    setattr(request, page_cache.SITE_VERSION_ATTR, (kk_site.pk, "v1"))
    context = {"page": kk_site.root_page.specific}

    for _visit in range(2):
        assert "<p>one</p>" in render_to_string("one.html", context, request)
        assert "<p>two</p>" in render_to_string("two.html", context, request)
