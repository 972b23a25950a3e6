"""Production serves collected static files through WhiteNoise: hashed, compressed, cached."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.templatetags.static import static

YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def collected(hardened, production_settings, tmp_path):
    """Production's static storage and middleware, with our own files collected to tmp_path.

    Only the club theme's files are collected: Wagtail's take half a minute to compress.
    """
    hardened.STATIC_ROOT = tmp_path
    hardened.STATICFILES_DIRS = [Path(apps.get_app_config("kis_pages").path) / "static"]
    hardened.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    hardened.STORAGES = {
        **hardened.STORAGES,
        "staticfiles": production_settings["STORAGES"]["staticfiles"],
    }
    hardened.MIDDLEWARE = production_settings["MIDDLEWARE"]
    call_command("collectstatic", interactive=False, stdout=io.StringIO())
    return tmp_path


def test_static_files_are_served_hashed_compressed_and_cached_for_a_year(collected, client):
    url = static("kis_pages/css/kis.css")
    hashed_name = url.removeprefix("/static/")
    assert hashed_name != "kis_pages/css/kis.css"

    response = client.get(url, secure=True, HTTP_ACCEPT_ENCODING="br, gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    cache_control = response["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= YEAR
    assert "immutable" in cache_control
    assert (collected / f"{hashed_name}.gz").exists()
    assert (collected / f"{hashed_name}.br").exists()
