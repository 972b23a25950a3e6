"""A query a process builds and compiles once (kis_pages/prepared.py) still reads the rows as
they are at each request: a page published after a club's pages were first drawn shows in
their menu, and answers at the address that was not found before, at once and with nothing
cached. A process keeps a bounded number of such queries, the one used least recently
dropped first."""

from functools import partial

from django.db import connection
from wagtail.models import Site

from kis_pages import prepared
from kis_pages.models import ClubPage

from ..conftest import KK_HOST
from ..utils import make_workplace_list, page_html

NEW_TITLE = "Prace społecznie użyteczne 2031"
NEW_SLUG = "prace-2031"


def test_a_page_published_after_the_club_was_drawn_shows_in_its_menu_and_answers_at_once(
    client, kk_site
):
    club = ClubPage.objects.get(pk=kk_site.root_page_id)
    other = club.get_children().live().first()
    new_path = f"/{NEW_SLUG}/"
    assert NEW_TITLE not in page_html(client, "/", KK_HOST)
    assert NEW_TITLE not in page_html(client, other.relative_url(kk_site), KK_HOST)
    assert client.get(new_path, HTTP_HOST=KK_HOST).status_code == 404

    make_workplace_list(club, title=NEW_TITLE, slug=NEW_SLUG, year=2031, show_in_menus=True)

    assert NEW_TITLE in page_html(client, "/", KK_HOST)
    assert NEW_TITLE in page_html(client, other.relative_url(kk_site), KK_HOST)
    assert NEW_TITLE in page_html(client, new_path, KK_HOST)


def test_a_process_keeps_at_most_max_kept_queries_dropping_the_least_recently_used(db, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_KEPT", 2)
    monkeypatch.setattr(connection, prepared.KEPT_ATTR, {}, raising=False)
    built = []

    def sites(pk):
        built.append(pk)
        return Site.objects.filter(pk=pk)

    for pk in (1, 2, 1, 3, 1, 2):
        prepared.run_prepared(Site, ("sites", pk), partial(sites, pk))

    assert built == [1, 2, 3, 2]  # 2, unused since 1, dropped for 3; 3 dropped for 2
    assert len(getattr(connection, prepared.KEPT_ATTR)) == prepared.MAX_KEPT
