"""A resident sends an enquiry in a real browser; the form, its errors and the landing pass axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import FORM_PATH, KK, POLISH, WCAG_TAGS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_gate")]


def assert_no_axe_violation(page, what):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    width = page.viewport_size["width"]
    passed = len(results.response["passes"])
    print(f"axe {width}px {what}: {results.violations_count} violations, {passed} rules passed")
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


@pytest.mark.parametrize("width", [320, 1280])
def test_resident_sends_an_enquiry_in_polish_and_sees_the_reference(open_page, width):
    page = open_page(FORM_PATH, host=KK, width=width)
    assert_no_axe_violation(page, "the form")

    page.get_by_label("Imię i nazwisko").fill(POLISH)
    page.get_by_label("E-mail").fill("mieszkaniec@example.org")
    page.get_by_label("Temat").select_option("prace społecznie użyteczne")
    page.get_by_label("Wiadomość").fill("Chciałbym zapisać się do Klubu. Dziękuję!")
    page.get_by_label("Zapoznałem(-am) się z informacją").check()
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    page.wait_for_load_state()

    assert "/wyslano/" in page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dziękujemy")
    assert page.locator(".reference").inner_text().startswith("KIS-")
    who_answers = page.get_by_role("region", name="Kto odpowie")
    assert who_answers.get_by_text("Agnieszka Jarońska").is_visible()
    assert_no_axe_violation(page, "the landing page")


@pytest.mark.parametrize("width", [320, 1280])
def test_errors_keep_what_the_resident_typed_and_pass_axe(open_page, width):
    page = open_page(FORM_PATH, host=KK, width=width)
    page.get_by_label("Imię i nazwisko").fill(POLISH)
    page.get_by_label("Wiadomość").fill("Pytanie bez zgody na przetwarzanie danych.")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    page.wait_for_load_state()

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.get_by_label("Imię i nazwisko").input_value() == POLISH
    assert "Pytanie bez zgody" in page.get_by_label("Wiadomość").input_value()
    assert page.locator("#id_consent").get_attribute("aria-invalid") == "true"
    assert_no_axe_violation(page, "the form with errors")
