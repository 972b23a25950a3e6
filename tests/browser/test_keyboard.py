"""A resident reaches, fills and sends the enquiry form with the keyboard alone.

After the first page is opened, only `page.keyboard` moves through the site: no click(),
fill() or goto(). At every stop the focused element must show a focus indicator that
stands out (3:1) from what is behind it.
"""

import pytest

from kis_forms.models import EnquirySubmission

from .conftest import FORM_PATH, KK, POLISH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_gate")]

TOPIC = "prace społecznie użyteczne"  # the third choice: two presses of the down arrow
MESSAGE = "Chcę zapisać się na zajęcia.\nCzy mogę przyjść z żoną? Dziękuję, Łukasz Źdźbło"

# The focused element, whether `selector` matches it, and its strongest focus indicator:
# the contrast of its outline or box-shadow colour against the nearest opaque background
# behind it (WCAG's relative luminance formula).
FOCUS_JS = """selector => {
    const el = document.activeElement;
    const rgba = text => {
        const match = /rgba?\\(([^)]*)\\)/.exec(text || "");
        if (!match) return null;
        const parts = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return {rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1};
    };
    const luminance = rgb => {
        const [r, g, b] = rgb.map(value => {
            value /= 255;
            return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
        const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (light + 0.05) / (dark + 0.05);
    };
    let behind = [255, 255, 255];
    for (let node = el.parentElement; node; node = node.parentElement) {
        const colour = rgba(getComputedStyle(node).backgroundColor);
        if (colour && colour.alpha > 0) { behind = colour.rgb; break; }
    }
    const style = getComputedStyle(el);
    const indicators = [];
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) {
        indicators.push(rgba(style.outlineColor));
    }
    if (style.boxShadow !== "none") indicators.push(rgba(style.boxShadow));
    const contrasts = indicators
        .filter(colour => colour && colour.alpha > 0)
        .map(colour => contrast(colour.rgb, behind));
    const box = el.getBoundingClientRect();
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    return {
        name: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} “${text.slice(0, 40)}”`,
        matches: el.matches(selector),
        contrast: Math.max(0, ...contrasts),
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
    };
}"""


def focused(page, selector="*"):
    """What has the focus now; fails when it is the page itself or shows no focus."""
    focus = page.evaluate(FOCUS_JS, selector)
    assert not focus["name"].startswith("body"), "the focus fell back to the page"
    assert focus["contrast"] >= 3, f"{focus['name']}: no visible focus ({focus['contrast']:.2f}:1)"
    assert focus["onScreen"], f"{focus['name']} has the focus but is off screen"
    return focus


def press_until(page, selector, key="Tab", limit=60):
    """Press `key` until an element matching `selector` has the focus, checking every stop."""
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, selector)["matches"]:
            return
    pytest.fail(f"{limit} presses of {key} did not reach {selector}")


def press_and_wait(page, key):
    """Press `key` on what has the focus and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_resident_reaches_fills_and_sends_the_form_with_the_keyboard_only(open_page):
    page = open_page("/", host=KK)

    page.keyboard.press("Tab")
    assert focused(page, ".skip-link")["matches"], "the first stop is not the skip link"
    press_until(page, f'.site-nav a[href$="{FORM_PATH}"]')
    press_and_wait(page, "Enter")
    assert page.url.endswith(FORM_PATH)

    page.keyboard.press("Tab")
    assert focused(page, ".skip-link")["matches"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page, "#id_imie_i_nazwisko")["matches"], "the skip link misses the form"
    page.keyboard.type(POLISH)
    press_until(page, "#id_e_mail")
    page.keyboard.type("mieszkaniec@example.org")
    press_until(page, "#id_temat")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == TOPIC
    press_until(page, "#id_wiadomosc")
    page.keyboard.type(MESSAGE)
    press_until(page, "#id_consent")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    press_until(page, "button[type=submit]")
    press_until(page, "#id_consent", key="Shift+Tab")
    press_until(page, "button[type=submit]")
    press_and_wait(page, "Enter")

    assert "/wyslano/" in page.url
    reference = page.locator(".reference").inner_text()
    answers = EnquirySubmission.objects.get(reference=reference).form_data
    assert answers["imie_i_nazwisko"] == POLISH
    assert answers["temat"] == TOPIC
    assert answers["wiadomosc"].replace("\r\n", "\n") == MESSAGE


def test_errors_take_the_focus_to_the_summary_whose_links_lead_to_the_fields(open_page):
    page = open_page(FORM_PATH, host=KK)
    press_until(page, "#id_imie_i_nazwisko")
    page.keyboard.type(POLISH)
    press_and_wait(page, "Enter")  # sends the form without a message or consent

    summary = focused(page, ".error-summary, .error-summary *")
    assert summary["matches"], f"the focus is on {summary['name']}, not the error summary"
    press_until(page, '.error-summary a[href="#id_wiadomosc"]')
    page.keyboard.press("Enter")
    assert focused(page, "#id_wiadomosc")["matches"]
    press_until(page, '.error-summary a[href="#id_consent"]', key="Shift+Tab")
    page.keyboard.press("Enter")
    assert focused(page, "#id_consent")["matches"]
    assert page.locator("#id_imie_i_nazwisko").input_value() == POLISH
