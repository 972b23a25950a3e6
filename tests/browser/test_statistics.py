"""A club moderator opens Reports › Statistics in Chromium: axe finds no WCAG 2.1 AA
violation in the report, every chart has its table, and on a 320 px screen the charts fit."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from kis_site.demo.management.commands.kis_demo import DEMO_PASSWORD

from .conftest import KK, WCAG_TAGS

pytestmark = pytest.mark.django_db

MODERATOR = "moderator-kedzierzyn-kozle"
REPORT = "/admin/reports/statistics/"
OURS = "#listing-results"  # the report; the rest of the page is Wagtail's


def open_report(open_page, width):
    page = open_page("/admin/login/", host=KK, width=width)
    page.set_default_timeout(10_000)
    page.locator("#id_username").fill(MODERATOR)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form").get_by_role("button").click()
    page.wait_for_load_state()
    page.goto(page.url.split("/admin/")[0] + REPORT)
    page.wait_for_load_state()
    return page


def test_the_report_passes_axe_and_each_chart_has_its_table(demo_logins, open_page):
    page = open_report(open_page, 1280)
    assert page.get_by_role("heading", name="Zgłoszenia w miesiącach").is_visible()
    results = Axe().run(
        page,
        context={"include": [[OURS]]},
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    assert results.violations_count == 0, results.generate_report()
    charts = page.locator("[data-report-chart]")
    assert charts.count() >= 3
    for key in charts.evaluate_all("figures => figures.map(f => f.dataset.reportChart)"):
        section = page.locator(f'section:has([data-report-chart="{key}"])')
        assert section.locator(f'table[data-report-table="{key}"]').count() == 1
        assert section.get_by_role("img").get_attribute("aria-labelledby")


def test_the_charts_fit_a_320_px_screen(demo_logins, open_page):
    page = open_report(open_page, 320)
    widths = page.locator("[data-report-chart] svg").evaluate_all(
        "svgs => svgs.map(svg => svg.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 320
