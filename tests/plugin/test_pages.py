"""Every page type of the club renders for a resident, in Polish, in the club's theme,
while the host's own home page keeps its own template.
"""

import pytest
from django.test import Client
from django.utils.html import escape

pytestmark = pytest.mark.django_db

PAGES = [
    ("club", "/kis/"),
    ("activities", "/kis/zajecia/"),
    ("activity", "/kis/zajecia/warsztaty/"),
    ("workplaces", None),  # its slug has the year in it
    ("announcements", "/kis/ogloszenia/"),
    ("crisis", "/kis/ogloszenia/awaria-ogrzewania/"),
    ("form", "/kis/napisz-do-nas/"),
    ("statement", "/kis/deklaracja-dostepnosci/"),
    ("easy_read", "/kis/tekst-latwy-do-czytania/"),
]


@pytest.mark.parametrize(("key", "path"), PAGES, ids=[key for key, _path in PAGES])
def test_each_club_page_renders_for_a_resident_in_polish_with_the_club_theme(club_tree, key, path):
    page = getattr(club_tree, key)
    url = page.get_url()
    if path is not None:
        assert url == path
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pl"' in html
    assert "kis_pages/base.html" in [template.name for template in response.templates]
    header = html.split('<header class="site-header"', 1)[1].split("</header>", 1)[0]
    assert escape(club_tree.club.title) in header
    banner = html.split('class="crisis-banner"', 1)[1].split("</section>", 1)[0]
    assert escape(club_tree.crisis.title) in banner
    footer = html.split('<footer class="site-footer"', 1)[1].split("</footer>", 1)[0]
    assert escape(club_tree.worker.name) in footer


def test_the_host_home_page_keeps_its_own_template_and_not_the_club_theme(club_tree):
    response = Client().get(club_tree.home.get_url())
    assert response.status_code == 200
    names = [template.name for template in response.templates]
    assert "home/home_page.html" in names and "home/welcome_page.html" in names
    assert not any(name.startswith(("kis_pages/", "kis_forms/")) for name in names)
    html = response.content.decode()
    assert "Welcome to your new Wagtail site!" in html  # untranslated in Wagtail
    assert "kis_pages/css/kis.css" not in html and club_tree.crisis.title not in html
