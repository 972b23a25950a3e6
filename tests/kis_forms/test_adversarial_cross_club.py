"""Adversarial suite, cross-club: a moderator of Kędzierzyn-Koźle who tries every admin URL,
action, bulk action, export and data-subject view with Nysa's ids, reference, e-mail and
phone, and Wagtail's own Forms section, snippets, page chooser and reports, learns nothing
of Nysa's enquiry and changes nothing of it. A URL with the id of Nysa's enquiry answers
exactly as one with an id that does not exist, so not even the existence of an enquiry
leaks. Pages and social workers are public (the page APIs list them), so a URL with Nysa's
form page or worker need only be refused.

Runs with production's hardening (headers, CSP, login lockout) on every leg of .ci/run; the
figures (URLs and actions tried, leaks) are printed with the test's output.
"""

import re
import urllib.parse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import ModelLogEntry

from kis_forms.models import EnquirySubmission, ExportedEnquiry

from .conftest import assert_refused, logged_in

# Parts of a response that differ between two requests whatever their ids.
VOLATILE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'nonce="[^"]*"'),
    re.compile(r'"csrfToken": "[^"]*"'),
    re.compile(r"data-w-csrf-token-value=\"[^\"]*\""),
]
WRITE_DATA = {
    "status": "closed",
    "assignee": "",
    "text": "notatka intruza",
    "q": "",
    "enquiry": "",
}


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def normalised(response, body):
    """Status, redirect and body, less what differs between any two requests."""
    for pattern in VOLATILE:
        body = pattern.sub("", body)
    location = response.headers.get("Location", "")
    return response.status_code, location, body


def enquiry_urls_with_an_id():
    """Every URL of the inbox's namespace that takes an enquiry's id, by name."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "enquiries":
                if "<int:pk>" in str(pattern.pattern):
                    names.append(f"enquiries:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return sorted(names)


def traces_of(enquiry):
    """What of an enquiry must not reach another club's moderator."""
    return [
        enquiry.reference,
        enquiry.resident_name,
        enquiry.resident_email,
        enquiry.resident_phone,
        enquiry.resident_phone.removeprefix("+48"),
    ]


def state_of(enquiry):
    """What a moderator's action could change of an enquiry."""
    row = EnquirySubmission.objects.filter(pk=enquiry.pk).values().first()
    entries = ModelLogEntry.objects.for_instance(enquiry).count()
    exports = ExportedEnquiry.objects.filter(submission_id=enquiry.pk).count()
    notes = enquiry.notes.count() if row else 0
    return row, entries, exports, notes


class Attempts:
    """Counts what was tried and collects every leak or difference found."""

    def __init__(self, client, secret):
        self.client = client
        self.secret = secret
        self.tried = 0
        self.leaks = []

    def request(self, method, url, data=None, echoed=None):
        """One request; what the attacker typed (`echoed`) may come back in the search box."""
        self.tried += 1
        response = getattr(self.client, method)(url, data or {}, secure=True)
        assert response.status_code < 500, (method, url, response.status_code)
        body = body_of(response)
        for trace in self.secret:
            if echoed and (trace in echoed or echoed in trace):
                continue
            if trace in body:
                self.leaks.append((method, url, trace))
        return response, body

    def same_as_missing(self, method, url_of, existing_id, missing_id, data=None):
        """Request `url_of(id)` with the other club's id and a missing one; compare them."""
        existing = normalised(*self.request(method, url_of(existing_id), data))
        missing = normalised(*self.request(method, url_of(missing_id), data))
        if existing != missing:
            self.leaks.append(
                (
                    method,
                    url_of(existing_id),
                    "answers unlike a missing id",
                    existing[:2],
                    missing[:2],
                )
            )


@pytest.fixture
def attacker(enquiries, kk_moderator, hardened):
    """Kędzierzyn-Koźle's moderator, over HTTPS, out to learn of Nysa's enquiry; their own
    club's enquiry is in their inbox, so the admin really answers them."""
    other = enquiries["nysa"]  # with contact details of its own, unlike the demo answers
    other.resident_email, other.resident_phone = "tylko.nysa@example.org", "+48600999888"
    other.form_data = {**other.form_data, "e_mail": other.resident_email, "telefon": "600999888"}
    other.save()
    client = logged_in(kk_moderator)
    own_inbox = client.get(reverse("enquiries:index"), secure=True)
    assert enquiries["kk"].reference in body_of(own_inbox)
    return Attempts(client, traces_of(enquiries["nysa"]))


def test_every_inbox_url_and_action_with_another_clubs_id_answers_as_for_a_missing_one(
    attacker, enquiries, capsys
):
    other = enquiries["nysa"]
    before = state_of(other)
    missing_id = EnquirySubmission.objects.order_by("-pk").first().pk + 1000
    names = enquiry_urls_with_an_id()
    assert {"enquiries:inspect", "enquiries:edit", "enquiries:delete", "enquiries:note"} <= set(
        names
    )
    for name in names:
        for method in ("get", "post"):
            attacker.same_as_missing(
                method,
                lambda pk, name=name: reverse(name, args=[pk]),
                other.pk,
                missing_id,
                WRITE_DATA,
            )
    for action in ("status", "assign", "spam", "delete"):
        path = reverse("wagtail_bulk_action", args=["kis_forms", "enquirysubmission", action])
        for method in ("get", "post"):
            attacker.same_as_missing(
                method,
                lambda pk, path=path: f"{path}?{urllib.parse.urlencode({'id': pk})}",
                other.pk,
                missing_id,
                {**WRITE_DATA, "status": "spam"},
            )

    assert attacker.leaks == []
    assert state_of(other) == before
    with capsys.disabled():
        print(f"\ncross-club, inbox ids: {attacker.tried} requests, {len(attacker.leaks)} leaks")


def test_searching_filtering_and_exporting_for_another_clubs_resident_finds_nothing(
    attacker, enquiries, capsys
):
    other = enquiries["nysa"]
    before = state_of(other)
    index = reverse("enquiries:index")
    lookups = [*traces_of(other), str(other.pk)]
    for value in lookups:
        for query in (
            {"q": value},
            {"q": value, "export": "csv"},
            {"q": value, "export": "xlsx"},
            {"page": other.page_id},
            {"worker": other.worker_id},
            {"page": other.page_id, "export": "csv"},
        ):
            attacker.request("get", f"{index}?{urllib.parse.urlencode(query)}", echoed=value)
        for name in (
            "enquiries:data_subject",
            "enquiries:data_subject_export",
            "enquiries:data_subject_erase",
        ):
            query = urllib.parse.urlencode({"q": value})
            attacker.request("get", f"{reverse(name)}?{query}", echoed=value)
            data = {"q": value, "enquiry": str(other.pk)}
            attacker.request("post", reverse(name), data, echoed=value)

    assert attacker.leaks == []
    assert state_of(other) == before
    with capsys.disabled():
        print(f"\ncross-club, lookups: {attacker.tried} requests, {len(attacker.leaks)} leaks")


def test_wagtails_own_forms_section_snippets_chooser_and_reports_show_nothing_of_another_club(
    attacker, enquiries, capsys
):
    other = enquiries["nysa"]
    before = state_of(other)
    submissions = reverse("wagtailforms:list_submissions", args=[other.page_id])
    delete = reverse("wagtailforms:delete_submissions", args=[other.page_id])
    for method, url in (
        ("get", submissions),
        ("get", f"{submissions}?export=csv"),
        ("get", f"{submissions}?export=xlsx"),
        ("get", f"{delete}?selected-submissions={other.pk}"),
        ("post", f"{delete}?selected-submissions={other.pk}"),
        ("get", reverse("wagtailsnippets_kis_pages_socialworker:edit", args=[other.worker_id])),
        ("post", reverse("wagtailsnippets_kis_pages_socialworker:delete", args=[other.worker_id])),
    ):
        response, _body = attacker.request(method, url)
        assert_refused(response)
    attacker.request("get", reverse("wagtailforms:index"))
    for value in traces_of(other):
        query = urllib.parse.urlencode({"q": value})
        for name in ("wagtailadmin_choose_page_search", "wagtailadmin_pages:search"):
            attacker.request("get", f"{reverse(name)}?{query}", echoed=value)
    for name in (
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:workflow",
    ):
        attacker.request("get", reverse(name))

    assert attacker.leaks == []
    assert state_of(other) == before
    with capsys.disabled():
        print(f"\ncross-club, Wagtail's views: {attacker.tried} requests, 0 leaks")
