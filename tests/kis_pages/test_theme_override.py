"""A host site restyles the club theme from its own templates folder: an override of
kis_pages/base.html may extend the app's own and add to it, and every club page follows."""

from ..conftest import KK_HOST


def test_a_sites_own_base_template_extends_the_theme_and_adds_its_stylesheet(
    settings, tmp_path, client
):
    override = tmp_path / "kis_pages" / "base.html"
    override.parent.mkdir()
    override.write_text(
        '{% extends "kis_pages/base.html" %}{% block extra_head %}'
        '<link rel="stylesheet" href="/static/ops/club.css">{% endblock extra_head %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    for path in ("/", "/zajecia/", "/napisz-do-nas/"):
        html = client.get(path, HTTP_HOST=KK_HOST).content.decode()
        assert '<link rel="stylesheet" href="/static/ops/club.css">' in html, path
        assert "kis_pages/css/kis.css" in html, path  # the theme's own stylesheet stays
        assert 'class="site-footer"' in html, path
