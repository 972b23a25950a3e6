"""Adversarial suite, hostile input: whatever a resident or a bot types into the enquiry form
(markup, formula prefixes, control characters, CR/LF, right-to-left overrides, NUL), it
comes back escaped on the re-shown form and the landing page, in the inbox, in the worker's
e-mail, and as inert text in the CSV and XLSX exports; an accepted enquiry is stored once.

Runs with production's hardening on every leg of .ci/run; the figures (inputs tried,
enquiries accepted, server errors) are printed with the test's output.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from kis_forms.inbox.export import FORMULA_STARTS
from kis_forms.models import EnquirySubmission

from ..conftest import KK_HOST
from ..examples import one_example, per_example
from ..utils import post_enquiry
from .conftest import FORM_PATH, logged_in

# Markup that would run or show if any output forgot to escape it.
MARKUP = '<img src=x onerror="kis()">'
HOSTILE_PIECES = [
    MARKUP,
    "<script>alert(1)</script>",
    '"><svg onload=kis()>',
    '=HYPERLINK("http://evil.example","kliknij")',
    "+48+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r\n=1+1",
    "\u202egnp.exe",
    "\x1b[31m",
    "a\x00b",
    "Bcc: attacker@evil.example",
    "{{ request.user }}",
    "Zażółć gęślą jaźń",
]
hostile = st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=3).map("".join)
RAW_MARKUP = re.compile(r"<img src=x|<script>alert|<svg onload")
FIGURES = {"inputs": 0, "accepted": 0, "server errors": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_figures(request):
    """Print the run's figures once this module's tests are done."""
    yield
    if FIGURES["inputs"]:
        with request.config.pluginmanager.get_plugin(
            "capturemanager"
        ).global_and_fixture_disabled():
            print(
                f"\nhostile input: {FIGURES['inputs']} inputs tried, {FIGURES['accepted']} "
                f"enquiries accepted and stored once, {FIGURES['server errors']} server errors"
            )


def assert_escaped(html, where):
    assert not RAW_MARKUP.search(html), f"unescaped markup in {where}"


def assert_inert_csv(content):
    for row in csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"formula in the CSV: {cell!r}"


def assert_inert_xlsx(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in the XLSX: {cell.value!r}"


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# Each example sends a batch of residents' posts, then reads every output once: the admin's
# pages are too slow to read per post.
BATCH = 30
batches = st.lists(st.tuples(hostile, hostile, hostile, hostile), min_size=BATCH, max_size=BATCH)


@settings(per_example, max_examples=2)
@given(batch=batches)
def test_hostile_answers_come_back_escaped_everywhere_and_are_stored_once(
    hardened, admin_user, kk_form, batch
):
    kk_form.include_answers_in_email = True
    kk_form.save()
    moderator = logged_in(admin_user)
    with one_example():
        mail.outbox.clear()
        before = EnquirySubmission.objects.count()
        accepted, inputs = 0, 0
        for name, message, phone, email in batch:
            resident = Client(HTTP_HOST=KK_HOST)
            for answers in (
                {"imie_i_nazwisko": name, "wiadomosc": message},  # may be accepted
                {"imie_i_nazwisko": name, "telefon": phone, "e_mail": email},  # mostly refused
            ):
                inputs += len(answers)
                response = post_enquiry(resident, FORM_PATH, secure=True, **answers)
                FIGURES["server errors"] += response.status_code >= 500
                assert response.status_code in (200, 303)
                if response.status_code == 200:
                    assert_escaped(response.content.decode(), "the re-shown form")
                    continue
                accepted += 1
                landing = resident.get(response["Location"], secure=True)
                assert_escaped(landing.content.decode(), "the landing page")

        stored = list(EnquirySubmission.objects.order_by("pk")[before:])
        assert len(stored) == accepted
        assert inputs >= 100  # hostile answers this example tried
        FIGURES["inputs"] += inputs
        FIGURES["accepted"] += accepted
        index = reverse("enquiries:index")
        assert_escaped(moderator.get(index, secure=True).content.decode(), "the inbox listing")
        for enquiry in stored[:5]:
            inspect = moderator.get(reverse("enquiries:inspect", args=[enquiry.pk]), secure=True)
            assert_escaped(inspect.content.decode(), "the inbox")
        assert_inert_csv(body(moderator.get(f"{index}?export=csv", secure=True)).decode())
        assert_inert_xlsx(body(moderator.get(f"{index}?export=xlsx", secure=True)))
        for sent in mail.outbox:
            for content, mimetype in getattr(sent, "alternatives", []):
                if mimetype == "text/html":
                    assert_escaped(content, "the worker's e-mail")
            assert "\n" not in sent.subject and "\r" not in sent.subject
