"""In a real browser the club's enquiry form under the host site is styled by the wheel's
stylesheet: the honeypot field is hidden and the consent checkbox can be ticked.

Run as their own pytest run (`-m browser`): the live server flushes the database after
each test, so the club is built inside the test.
"""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

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
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Debian's Chromium, started after the test database exists."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is missing: install it with `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_the_enquiry_form_is_styled_hides_its_honeypot_and_shows_the_consent(
    browser, live_server, build_club_now
):
    club = build_club_now()
    context = browser.new_context(locale="pl-PL")
    try:
        page = context.new_page()
        stylesheets = []
        page.on(
            "response",
            lambda response: (
                stylesheets.append((response.url, response.status))
                if response.url.endswith(".css")
                else None
            ),
        )
        response = page.goto(live_server.url + club.form.get_url())
        assert response.status == 200
        assert page.title().startswith(club.form.title)

        assert [(url, status) for url, status in stylesheets if "kis_pages/css/kis.css" in url]
        assert all(status == 200 for _url, status in stylesheets), stylesheets
        # The stylesheet applied: the honeypot's wrapper is display: none.
        honeypot = page.locator('input[name="website"]')
        assert honeypot.count() == 1
        assert not honeypot.is_visible()
        assert honeypot.bounding_box() is None

        consent = page.locator('input[name="consent"]')
        assert consent.is_visible()
        consent.check()
        assert consent.is_checked()
    finally:
        context.close()
