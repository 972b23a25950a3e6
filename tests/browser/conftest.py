"""A live server over the demo clubs and a real Chromium driven by Playwright.

Run as their own pytest run (`make test` does): the live server shares the session's
test database, which the demo clubs were loaded into once.
"""

import io
import json
import os
import shutil
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in this thread; Django's ORM must still work here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The demo clubs answer on localhost and *.localhost; the live server listens on IPv4.
    "--host-resolver-rules=MAP localhost 127.0.0.1, MAP *.localhost 127.0.0.1",
]

CLUBS = {"localhost": "Nysa", "kedzierzyn-kozle.localhost": "Kędzierzyn-Koźle"}
KK = "kedzierzyn-kozle.localhost"
FORM_PATH = "/napisz-do-nas/"
POLISH = "Zażółć gęślą jaźń – ĄĘŁŃÓŚŹŻ"  # every Polish letter, to see none is lost
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 A and AA, as the law asks


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """The example site serving both demo clubs on a free port of 127.0.0.1."""
    with django_db_blocker.unblock():
        server = LiveServer("127.0.0.1")
        server._live_server_modified_settings.enable()
        yield server
        server._live_server_modified_settings.disable()
        server.stop()


@pytest.fixture(scope="session")
def demo_logins(django_db_setup, django_db_blocker):
    """The demo's moderator logins and their clubs' new enquiries, as `make run` has them."""
    with django_db_blocker.unblock():
        call_command("kis_demo", "--demo-login", stdout=io.StringIO())


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Chromium, started after the test database exists (Playwright runs an event loop)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is missing: install it with `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, demo_server):
    """Opens a path of a club's host at a given width and returns the Playwright page."""
    contexts = []

    def open_(path, host="localhost", width=1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        contexts.append(context)
        page = context.new_page()
        response = page.goto(f"http://{host}:{demo_server.thread.port}{path}")
        assert response.status == 200, f"{host}{path}: {response.status}"
        return page

    yield open_
    for context in contexts:
        context.close()


def api_pages(port, host):
    """Every live page of the club on `host`, read page by page from API v2."""
    items, offset = [], 0
    while True:
        url = f"http://127.0.0.1:{port}/api/v2/pages/?offset={offset}"
        request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310
        with urllib.request.urlopen(request) as response:  # noqa: S310 - our live server
            batch = json.load(response)["items"]
        if not batch:
            return items
        items += batch
        offset += len(batch)


@pytest.fixture(scope="session")
def page_list(demo_server):
    """(host, path, page type) for one page of each type of each demo club."""
    paths = []
    for host in CLUBS:
        seen = set()
        for item in api_pages(demo_server.thread.port, host):
            page_type = item["meta"]["type"]
            if page_type not in seen:
                seen.add(page_type)
                path = urllib.parse.urlsplit(item["meta"]["html_url"]).path
                paths.append((host, path, page_type))
    return paths


@pytest.fixture
def quick_gate(settings):
    """The abuse gate without its minimum fill time or a tight rate limit: a test types fast."""
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}


@pytest.fixture(autouse=True)
def _close_test_connections():
    """Close this test's own connection, which Playwright's greenlet context keeps apart.

    Left open, it stops PostgreSQL from dropping the test database at the end of the run.
    """
    yield
    connections.close_all()
