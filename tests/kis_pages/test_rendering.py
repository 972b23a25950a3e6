"""Every page type renders with the demo content of both clubs, and the banner follows the date."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kis_pages.models import AnnouncementIndexPage, AnnouncementPage, ClubSettings, Workplace

from ..conftest import KK_HOST
from ..utils import (
    DEMO_PAGE_TYPES,
    demo_pages,
    make_announcement,
    make_announcement_index,
    make_club,
    make_worker,
    make_workplace_list,
    page_html,
)


def test_every_page_type_of_kedzierzyn_kozle_renders(client, kk_site):
    pages = demo_pages(kk_site)
    assert set(pages) == {name for name, _field in DEMO_PAGE_TYPES}
    for page in pages.values():
        html = page_html(client, page.url, KK_HOST)
        assert "<h1" in html and page.title[:20] in html


def test_every_page_type_of_nysa_renders(client, nysa_site):
    pages = demo_pages(nysa_site)
    assert {"kis_pages.ClubPage", "kis_pages.ActivityPage", "kis_forms.EnquiryFormPage"} <= set(
        pages
    )
    for page in pages.values():
        html = page_html(client, page.url)
        assert "Klub Integracji Społecznej w Nysie" in html


def test_club_home_shows_who_may_join_and_how(client):
    html = page_html(client, "/", KK_HOST)
    assert "matki samotnie wychowujące dzieci" in html
    assert "kontraktu socjalnego" in html
    assert "Warsztaty psychoedukacyjne" in html


def test_every_page_has_the_contact_worker_one_tap_away(client, kk_site):
    for page in demo_pages(kk_site).values():
        html = page_html(client, page.url, KK_HOST)
        assert 'href="#kontakt"' in html
        assert 'id="kontakt"' in html
        assert "Agnieszka Jarońska" in html
        assert 'href="tel:+48-77-483-77-23;ext=103"' in html
        assert "I piętro, pokój 102" in html


def test_workplace_list_shows_the_rate_in_zloty_and_every_workplace(client):
    html = page_html(client, "/prace-spolecznie-uzyteczne-2020/", KK_HOST)
    assert "8,50" in html and "zł" in html
    assert html.count("Publiczna Szkoła Podstawowa nr") == 9
    assert "Dom Dziennego Pobytu nr 5" in html


def test_crisis_banner_is_on_every_page_of_its_club_only(client, kk_site):
    for page in demo_pages(kk_site).values():
        html = page_html(client, page.url, KK_HOST)
        assert "Zasady bezpieczeństwa w związku z epidemią COVID-19" in html
    assert "epidemią COVID-19" not in page_html(client, "/")


def test_expired_announcement_leaves_banner_and_list_without_anyone_touching_it(
    client, monkeypatch
):
    club = make_club(hostname="test.localhost")
    index = make_announcement_index(club)
    today = timezone.localdate()
    make_announcement(
        index, title="Przerwa w dostawie wody", category="crisis", pinned=True, valid_until=today
    )
    assert "Przerwa w dostawie wody" in page_html(client, "/", "test.localhost")
    assert "Przerwa w dostawie wody" in page_html(client, index.url, "test.localhost")

    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)

    assert "Przerwa w dostawie wody" not in page_html(client, "/", "test.localhost")
    assert "Przerwa w dostawie wody" not in page_html(client, index.url, "test.localhost")


def test_announcements_not_yet_valid_or_not_pinned_stay_out_of_the_banner(client):
    club = make_club(hostname="test.localhost")
    index = make_announcement_index(club)
    today = timezone.localdate()
    make_announcement(
        index,
        title="Jutrzejszy komunikat",
        category="crisis",
        pinned=True,
        valid_from=today + datetime.timedelta(days=1),
    )
    make_announcement(index, title="Zwykły komunikat kryzysowy", category="crisis")
    banner = list(AnnouncementPage.objects.descendant_of(club).banner())
    assert banner == []
    html = page_html(client, index.url, "test.localhost")
    assert "Jutrzejszy komunikat" not in html
    assert "Zwykły komunikat kryzysowy" in html


def test_announcement_list_is_paginated_newest_first(client):
    club = make_club(hostname="test.localhost")
    index = make_announcement_index(club)
    today = timezone.localdate()
    for days_ago in range(12):
        make_announcement(
            index, title=f"Komunikat {days_ago:02d}", date=today - datetime.timedelta(days_ago)
        )
    first = page_html(client, index.url, "test.localhost")
    assert first.index("Komunikat 00") < first.index("Komunikat 09")
    assert "Komunikat 10" not in first
    second = page_html(client, index.url + "?strona=2", "test.localhost")
    assert "Komunikat 11" in second and "Komunikat 00" not in second


def test_rss_feed_lists_current_announcements(client):
    index = AnnouncementIndexPage.objects.get(slug="ogloszenia", url_path__contains="kedzierzyn")
    response = client.get(index.url + "feed/", HTTP_HOST=KK_HOST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "<rss" in body and "Zasady bezpieczeństwa w związku z epidemią COVID-19" in body
    assert f"http://{KK_HOST}" in body


def test_workplace_list_of_200_rows_uses_as_many_queries_as_one_of_5(client):
    counts = {}
    for rows in (5, 200):
        club = make_club(hostname=f"rows{rows}.localhost")
        edition = make_workplace_list(club, rows=rows)
        page_html(client, edition.url, f"rows{rows}.localhost")
        with CaptureQueriesContext(connection) as queries:
            html = page_html(client, edition.url, f"rows{rows}.localhost")
        assert html.count("Szkoła Podstawowa nr") == rows
        counts[rows] = len(queries)
    assert counts[5] == counts[200], counts


def test_a_workplace_row_says_in_words_what_it_lacks_and_escapes_what_it_has(client):
    club = make_club(hostname="wiersze.localhost")
    edition = make_workplace_list(club, rows=0)
    Workplace.objects.create(
        edition=edition, unit_name="Żłobek <Miejski>", unit_kind="nursery", sort_order=0
    )
    Workplace.objects.create(
        edition=edition,
        unit_name="Urząd",
        unit_kind="office",
        address="ul. Piastowska 1",
        places=1200,
        sort_order=1,
    )
    html = page_html(client, edition.url, "wiersze.localhost")
    no_address, no_places = (
        f'<span aria-hidden="true">–</span><span class="visually-hidden">{words}</span>'
        for words in ("nie podano", "bez podziału na jednostki")
    )
    assert (
        '<th scope="row">Żłobek &lt;Miejski&gt;</th>\n'
        "                                    <td>żłobek lub przedszkole</td>\n"
        f"                                    <td>{no_address}</td>\n"
        f'                                    <td class="num">{no_places}</td>'
    ) in html
    assert (
        '<th scope="row">Urząd</th>\n'
        "                                    <td>urząd gminy lub miasta</td>\n"
        "                                    <td>ul. Piastowska 1</td>\n"
        '                                    <td class="num">1200</td>'
    ) in html


def test_while_the_contact_worker_is_away_pages_show_the_deputy(client, kk_site):
    club = kk_site.root_page.specific
    deputy = make_worker(name="Jan Zastępca", phone="+48774837700", phone_extension="110")
    club.contact_worker.deputy = deputy
    club.contact_worker.active = False
    club.contact_worker.save()
    html = page_html(client, "/", KK_HOST)
    assert "Jan Zastępca" in html and 'href="tel:+48-77-483-77-00;ext=110"' in html
    assert "Agnieszka Jarońska" not in html


def test_a_missing_page_answers_404_in_the_club_theme(client):
    response = client.get("/nie-ma-takiej-strony/", HTTP_HOST=KK_HOST)
    assert response.status_code == 404
    assert 'id="kontakt"' in response.content.decode()


def test_opening_hours_and_the_day_closed_to_clients_are_on_every_page(client, kk_site):
    settings = ClubSettings.for_site(kk_site)
    settings.opening_hours = [
        {"type": "day", "value": {"day": "mon", "opens": "07:30", "closes": "15:30"}},
        {"type": "day", "value": {"day": "wed", "closed": True, "note": "dzień wewnętrzny"}},
    ]
    settings.save()
    html = page_html(client, "/prace-spolecznie-uzyteczne-2020/", KK_HOST)
    assert "poniedziałek" in html and '<time datetime="07:30">07:30</time>' in html
    assert "środa" in html and "dzień wewnętrzny" in html
