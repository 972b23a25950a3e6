"""Text resized to 200% (WCAG 1.4.4) neither scrolls sideways nor gets cut off.

The text is resized the way a resident does it in Chrome's settings (Appearance › Font
size): the browser's default font size goes from 16 px to 32 px through the DevTools
protocol (`Page.setFontSizes`). Everything sized in rem/em doubles, media queries in em
switch as they would for that resident, and borders in px stay as they are. A root
font-size of 200% in a style sheet would not do: em in media queries keep meaning the
browser's default size. Whole-page zoom is what the 320 px checks cover: 320 CSS px is a
1280 px screen zoomed to 400% (WCAG 1.4.10).
"""

import urllib.parse

import pytest

from .conftest import CLUBS

pytestmark = pytest.mark.django_db

DEFAULT_FONT_SIZE = 16
FIXED_FONT_SIZE = 13  # Chrome's default size of monospaced text

# How far the page scrolls sideways, and every element wide or tall enough to be seen that
# hides part of its content behind overflow: hidden or clip.
LAYOUT_JS = """() => {
    const root = document.documentElement;
    const clipped = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) continue;  // hidden on purpose
        const style = getComputedStyle(el);
        const hides = value => value === "hidden" || value === "clip";
        if ((hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
                || (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
            const text = el.innerText.trim().slice(0, 40);
            clipped.push(`${el.tagName.toLowerCase()}.${el.classList.value} “${text}”`);
        }
    }
    return {
        fontSize: getComputedStyle(root).fontSize,
        overflow: root.scrollWidth - root.clientWidth,
        clipped: clipped,
    };
}"""


def resize_text(page, percent):
    """Set the browser's default font sizes to `percent` of Chrome's, as its settings do."""
    sizes = {"standard": DEFAULT_FONT_SIZE, "fixed": FIXED_FONT_SIZE}
    scaled = {kind: round(size * percent / 100) for kind, size in sizes.items()}
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": scaled})


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("host", list(CLUBS))
def test_text_at_200_percent_neither_scrolls_sideways_nor_is_cut_off(
    open_page, page_list, host, width
):
    page = open_page("/", host=host, width=width)
    resize_text(page, 200)  # it stays so for every page opened in this tab
    failures = []
    for page_host, path, page_type in page_list:
        if page_host != host:
            continue
        response = page.goto(urllib.parse.urljoin(page.url, path))
        assert response.ok, f"{host}{path}: {response.status}"
        layout = page.evaluate(LAYOUT_JS)
        assert layout["fontSize"] == f"{2 * DEFAULT_FONT_SIZE}px"
        if layout["overflow"] > 0:
            failures.append(f"{page_type} {path} scrolls {layout['overflow']}px sideways")
        failures += [f"{page_type} {path} cuts off {what}" for what in layout["clipped"]]
    assert not failures, "\n".join(failures)
