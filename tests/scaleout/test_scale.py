"""Two app servers and two task workers on one PostgreSQL and one Redis: every enquiry is
stored once and mailed once, the rate limit is one limit for the whole install, and a
publish renews what every app server keeps of the pages."""

import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.harness import request
from kis_forms.conf import DEFAULTS
from tests.utils import enquiry_answers

from ..conftest import KK_HOST
from .cluster import (
    all_sent,
    client_address,
    mailed,
    open_form,
    poll,
    post_form,
    send_enquiry,
)

pytestmark = pytest.mark.scaleout

RESIDENTS = 500
CONCURRENCY = 8


def test_500_residents_across_two_servers_give_500_enquiries_and_500_emails(
    cluster, database, sink, report
):
    ports = cluster.start(servers=2, server_workers=2, task_workers=2)
    started = time.monotonic()

    def resident(number):
        # The form comes from one server and goes to the other; every tenth resident's
        # form is sent twice at once, one copy to each server.
        return send(ports[number % 2], ports[(number + 1) % 2], number, twice=number % 10 == 0)

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        sent = list(pool.map(resident, range(RESIDENTS)))
    load_seconds = time.monotonic() - started

    assert [s.form_status for s in sent] == [200] * RESIDENTS
    assert all(set(s.statuses) == {303} for s in sent)
    stored = database.enquiries()
    assert len(stored) == RESIDENTS, "one enquiry per form, however often it was sent"
    references = {reference for reference, _token in stored}
    assert len(references) == RESIDENTS
    assert {s.token for s in sent} == {token for _reference, token in stored}
    shown = {s.reference for s in sent}
    assert shown == references, "each landing page shows its own enquiry's reference"

    poll(all_sent(database, RESIDENTS), timeout=120, what="every notification sent")
    mail = mailed(sink)
    assert sum(mail.values()) == RESIDENTS, f"twice: {[r for r, n in mail.items() if n > 1]}"
    assert set(mail) == references
    assert database.jobs()["RUNNING"] == 0
    report(
        f"500 residents: {sum(len(s.answers) for s in sent)} posts sent in {load_seconds:.0f} s "
        f"({RESIDENTS} forms, {RESIDENTS // 10} of them twice), {len(stored)} enquiries "
        f"stored, {len(shown)} references shown, {sum(mail.values())} e-mails received "
        f"after {time.monotonic() - started:.0f} s"
    )


def send(form_port, post_port, number, twice=False):
    return send_enquiry(
        form_port, post_port, client_address(number), f"Mieszkaniec {number}", twice=twice
    )


def test_the_rate_limit_counts_posts_from_one_address_across_both_servers(
    cluster, database, report
):
    ports = cluster.start(servers=2, server_workers=1, task_workers=0)
    limit, posts, address = DEFAULTS["RATE_LIMIT"], 12, client_address(7)
    forms = [open_form(ports[number % 2], address) for number in range(posts)]

    def post(number):
        _status, cookies, fields = forms[number]
        form = {**enquiry(number), **fields}
        headers = {"X-Forwarded-For": address}
        return post_form(ports[(number + 1) % 2], form, cookies, headers)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(post, range(posts)))

    statuses = Counter(answer.status for answer in answers)
    assert statuses == {303: limit, 200: posts - limit}
    assert all('class="error-summary"' in a.body for a in answers if a.status == 200)
    assert database.count_enquiries() == limit

    _status, cookies, fields = open_form(ports[0], client_address(8))
    other = post_form(
        ports[1], {**enquiry(99), **fields}, cookies, {"X-Forwarded-For": client_address(8)}
    )
    assert other.status == 303, "another address is not limited"
    report(f"rate limit: {posts} posts from one address to two servers, {limit} accepted")


def enquiry(number):
    return enquiry_answers(imie_i_nazwisko=f"Mieszkaniec {number}")


RENAME_THE_CLUB = f"""
from wagtail.models import Site
club = Site.objects.get(hostname="{KK_HOST}").root_page.specific
club.title = "Klub po zmianie nazwy"
club.save_revision().publish()
"""


def test_a_publish_outdates_kept_pages_and_kept_parts_on_every_app_server(cluster, report):
    ports = cluster.start(servers=2, server_workers=1, task_workers=0)
    # A visitor with a session (an editor) gets the page rendered, its parts from the cache.
    editor = {"sessionid": "an-editors-session"}

    def header(response):
        return re.search(r'<header class="site-header">.*?</header>', response.body, re.S)[0]

    for port in ports:
        for _visit in range(2):
            anonymous = request(port, "GET", "/", host=KK_HOST)
            rendered = request(port, "GET", "/", host=KK_HOST, cookies=editor)
        assert anonymous.headers["X-Cache"] == "hit"
        assert "X-Cache" not in rendered.headers

    cluster.manage("shell", "--command", RENAME_THE_CLUB)  # as an editor on a third machine

    # The first server renders the page afresh and keeps it; the second serves that copy.
    anonymous = [request(port, "GET", "/", host=KK_HOST) for port in ports]
    assert [response.headers["X-Cache"] for response in anonymous] == ["miss", "hit"]
    rendered = [request(port, "GET", "/", host=KK_HOST, cookies=editor) for port in ports]
    for response in [*anonymous, *rendered]:
        assert "Klub po zmianie nazwy" in header(response)
    report("publish on a third process: the next page and its parts are new on both servers")
