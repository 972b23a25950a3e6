"""A headless front end on another origin (a second loopback port) builds a club's footer
and announcements from the APIs and sends an enquiry, in a real Chromium, through CORS;
a front end on an origin the site does not list gets nothing."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ..utils import enquiry_answers
from .conftest import KK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_gate")]

# What a front end's script does: the club with its settings and contact, the current
# announcements, then the enquiry form's definition and a sent enquiry.
FRONT_END = """
async ({api, answers}) => {
    const read = async (path) => (await fetch(api + path)).json();
    const clubs = "/api/v2/pages/?type=kis_pages.ClubPage&fields=club_settings,contact";
    const [club] = (await read(clubs)).items;
    const notices = await read("/api/v2/pages/?type=kis_pages.AnnouncementPage&fields=is_current");
    const forms = await read("/api/v2/pages/?type=kis_forms.EnquiryFormPage");
    const address = api + "/api/v3/enquiries/forms/" + forms.items[0].id + "/";
    const form = await read("/api/v3/enquiries/forms/" + forms.items[0].id + "/");
    const sent = await fetch(address, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({token: form.token, answers, consent: true}),
    });
    return {
        institution: club.club_settings.institution_name,
        phone: club.contact.phone_display,
        notices: notices.items.map((item) => item.title),
        status: sent.status,
        reply: await sent.json(),
    };
}
"""


class FrontEndPage(BaseHTTPRequestHandler):
    """The front end's own page: its script runs on this origin."""

    def do_GET(self):  # noqa: N802 - the http.server API
        body = b"<!DOCTYPE html><html lang='pl'><title>Front end</title></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the http.server API
        """Quiet."""


@pytest.fixture
def front_end():
    """The origin http://127.0.0.1:<another port>, serving a blank page."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FrontEndPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_front_end(browser, origin, api):
    context = browser.new_context(locale="pl-PL")
    try:
        page = context.new_page()
        page.goto(origin + "/")
        answers = {k: v for k, v in enquiry_answers().items() if k != "consent"}
        return page.evaluate(FRONT_END, {"api": api, "answers": answers})
    finally:
        context.close()


def test_a_front_end_on_a_listed_origin_builds_the_club_and_sends_an_enquiry(
    browser, demo_server, front_end, settings
):
    settings.CORS_ALLOWED_ORIGINS = [front_end]
    api = f"http://{KK}:{demo_server.thread.port}"

    result = run_front_end(browser, front_end, api)

    assert result["institution"].startswith("Miejski Ośrodek Pomocy Społecznej")
    assert result["phone"] == "77 483 77 23 wew. 103"
    assert result["notices"]
    assert result["status"] == 201
    assert re.fullmatch(r"KIS-\d{4}-\d{6}", result["reply"]["reference"])


def test_a_front_end_on_another_origin_is_refused_by_the_browser(
    browser, demo_server, front_end, settings
):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.org"]
    api = f"http://{KK}:{demo_server.thread.port}"

    with pytest.raises(Exception, match="Failed to fetch"):
        run_front_end(browser, front_end, api)
