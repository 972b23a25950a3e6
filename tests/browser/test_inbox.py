"""A moderator handles the demo's new enquiry in the admin; our admin templates pass axe."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from kis_forms.models import EnquirySubmission
from kis_site.demo.management.commands.kis_demo import DEMO_PASSWORD

from .conftest import KK, WCAG_TAGS

pytestmark = pytest.mark.django_db

MODERATOR = "moderator-kedzierzyn-kozle"
# Our own parts of the admin pages; the rest is Wagtail's and tested by Wagtail.
OUR_PARTS = {
    "inbox": "#listing-results",
    "enquiry": "#kis-enquiry",
}


def assert_no_axe_violation(page, what):
    results = Axe().run(
        page,
        context={"include": [[OUR_PARTS[what]]]},
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def test_a_moderator_assigns_notes_and_closes_the_new_demo_enquiry(demo_logins, open_page):
    page = open_page("/admin/login/", host=KK)
    page.set_default_timeout(10_000)
    page.locator("#id_username").fill(MODERATOR)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form").get_by_role("button").click()
    page.get_by_role("link", name=re.compile(r"^Zgłoszenia \(\d+\)$")).click()
    page.wait_for_load_state()
    assert_no_axe_violation(page, "inbox")

    demo_enquiry = EnquirySubmission.objects.get(
        resident_name="Anna Przykładowa", page__url_path__contains="kedzierzyn"
    )
    page.locator("#listing-results").get_by_role("link", name=demo_enquiry.reference).click()
    page.wait_for_load_state()
    assert page.get_by_text("Anna Przykładowa").is_visible()
    assert_no_axe_violation(page, "enquiry")

    page.get_by_label("Przydzielono do").select_option(label=MODERATOR)
    page.get_by_role("button", name="Zapisz status i przydział").click()
    page.wait_for_load_state()
    page.get_by_label("Nowa notatka").fill("Oddzwonię jutro rano – ąęłńóśźż.")
    page.get_by_role("button", name="Dodaj notatkę").click()
    page.wait_for_load_state()
    assert page.get_by_text("Oddzwonię jutro rano – ąęłńóśźż.").is_visible()
    page.get_by_label("Status").select_option(label="zamknięte")
    page.get_by_role("button", name="Zapisz status i przydział").click()
    page.wait_for_load_state()
    assert page.get_by_label("Status").input_value() == "closed"
    assert_no_axe_violation(page, "enquiry")

    page.get_by_role("link", name="Pełna historia").click()
    page.wait_for_load_state()
    history = page.locator("main").inner_text()
    for step in ("Zmieniono status z „nowe” na „zamknięte”", f"Przydzielono: {MODERATOR}"):
        assert step in history
    assert "Dodano notatkę" in history and "Odczytano zgłoszenie" in history
