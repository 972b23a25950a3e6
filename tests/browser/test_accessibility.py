"""axe-core finds no WCAG 2.1 A/AA violation on any page type of either demo club."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import CLUBS, WCAG_TAGS

# Asks pytest-django to create the test database, which the live server then serves.
pytestmark = pytest.mark.django_db

WIDTHS = [320, 1280]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("host", list(CLUBS))
def test_no_axe_violation_on_any_page_type(open_page, page_list, host, width):
    axe = Axe()
    checked, failures = [], []
    for page_host, path, page_type in page_list:
        if page_host != host:
            continue
        page = open_page(path, host=host, width=width)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        checked.append(page_type)
        passed = len(results.response["passes"])
        # Shown with `pytest -rP`: the per-page figures for a report.
        print(
            f"axe {width}px {host}{path} {page_type}: {results.violations_count} violations, "
            f"{passed} rules passed"
        )
        if results.violations_count:
            failures.append(f"{page_type} {path}:\n{results.generate_report()}")
    assert len(checked) >= 3
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("host", list(CLUBS))
def test_nothing_scrolls_sideways_at_320_px(open_page, page_list, host):
    for page_host, path, page_type in page_list:
        if page_host != host:
            continue
        page = open_page(path, host=host, width=320)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page_type} {path} is {overflow}px too wide at 320 px"


def test_the_axe_check_reports_a_violation_where_there_is_one(browser):
    """Guards the harness itself: a page with an unlabelled field and no alt text fails."""
    page = browser.new_page()
    page.set_content(
        '<html lang="pl"><body><main><h1>Formularz</h1><img src="x.png">'
        '<input type="text"></main></body></html>'
    )
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    page.close()
    violated = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "label"} <= violated
