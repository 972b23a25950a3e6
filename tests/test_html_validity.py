"""Every page a resident sees is valid HTML to the W3C's current Nu HTML Checker.

Every live page of both demo clubs (so every page type, the crisis banner and the workplace
table among them), the second page of an announcement list, each enquiry form with errors,
its landing page and the 404 page are checked in one run of the checker, and any error or
warning fails the test.

The checker is the npm package `vnu-jar` (Java is Debian's). The test takes the jar from
$VNU_JAR, else from .vnu/ in the repository (git-ignored), and installs it there itself when
it is missing: `npm install --prefix .vnu --no-save --ignore-scripts vnu-jar@VERSION`.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from .utils import visit_resident_pages

pytestmark = pytest.mark.django_db

VNU_VERSION = "26.9.27"
VNU_FOLDER = Path(django_settings.BASE_DIR) / ".vnu"
VNU_IN_FOLDER = VNU_FOLDER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_jar():
    """The checker's jar: $VNU_JAR, or the one in .vnu/, installed there if missing."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    if not VNU_IN_FOLDER.exists():
        npm = shutil.which("npm")
        assert npm, "installing the Nu HTML Checker needs npm (Debian: apt install npm)"
        subprocess.run(  # noqa: S603 - npm with fixed arguments
            [npm, "install", "--prefix", str(VNU_FOLDER), "--no-save", "--ignore-scripts"]
            + ["--no-audit", "--no-fund", f"vnu-jar@{VNU_VERSION}"],
            check=True,
            capture_output=True,
        )
    return VNU_IN_FOLDER


def check(paths):
    """The checker's errors and warnings about the HTML files at `paths`, as messages."""
    java = shutil.which("java")
    assert java, "the Nu HTML Checker needs Java (Debian: apt install default-jre-headless)"
    result = subprocess.run(  # noqa: S603 - our checker on our files
        [java, "-jar", str(vnu_jar()), "--format", "json", "--stdout", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: it found something
    return [
        message
        for message in json.loads(result.stdout)["messages"]
        if message["type"] == "error" or message.get("subType") == "warning"
    ]


@pytest.fixture
def resident_pages(settings):
    """{what: HTML} of every page a resident sees, as the demo has them."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}
    cache.clear()  # the rate limit's counters
    pages = {}

    def fetch(client, what, path, data=None):
        response = client.post(path, data) if data is not None else client.get(path)
        assert response.status_code == (404 if what.endswith(" 404") else 200), what
        pages[what] = response.content.decode()

    visit_resident_pages(fetch)
    return pages


def test_every_page_a_resident_sees_is_valid_html(resident_pages, tmp_path):
    files = {}
    for number, (what, html) in enumerate(resident_pages.items()):
        files[what] = tmp_path / f"{number}.html"
        files[what].write_text(html, encoding="utf-8")
    assert len(files) > 20
    assert any("crisis-banner" in html for html in resident_pages.values())
    assert any("<table" in html for html in resident_pages.values())

    what_of = {path.name: what for what, path in files.items()}
    found = [
        f"{what_of[message['url'].rpartition('/')[2]]}, line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in check(files.values())
    ]
    assert not found, f"{len(found)} problem(s):\n" + "\n".join(sorted(set(found)))


def test_the_checker_finds_what_the_older_one_missed(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="pl"><title>x</title>'
        '<section aria-labelledby="t"><p id="t">Uwaga</p></section>'
        '<table role="table"><tr role="row"><td role="cell">x</td></tr></table>',
        encoding="utf-8",
    )
    messages = " ".join(message["message"] for message in check([page]))
    assert "Section lacks heading" in messages
    assert "must not be used on a “tr” element" in messages
