"""Two app servers and two task workers on one PostgreSQL and one Redis: every enquiry is
stored once and mailed once, and the rate limit is one limit for the whole install."""

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from kis_forms.gate import DEFAULTS
from tests.utils import enquiry_answers

from .cluster import (
    all_sent,
    client_address,
    mailed,
    open_form,
    poll,
    post_form,
    send_enquiry,
    sleep_past_window_edge,
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
    sleep_past_window_edge(DEFAULTS["RATE_WINDOW"])  # all posts count in one window

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
