"""An on-call engineer sees a screenful of jobs at once: at 1440x900, with the panels collapsed, at
least 15 whole rows and every stat card fit in the viewport. "Roomy rows" trades rows for space and
is remembered."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.host import LocalHost
from tests.browser.pages import open_jobs

LAPTOP = {"width": 1440, "height": 900}
WHOLE_ROWS_IN_VIEW = """() => [...document.querySelectorAll("#jobs-body tr[data-job-id]")]
  .filter((row) => { const box = row.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; }).length"""
STATS_IN_VIEW = """() => [...document.querySelectorAll("#stats .stat")]
  .every((card) => { const box = card.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight && box.height > 0; })"""


def whole_rows(page: Page) -> int:
    return page.evaluate(WHOLE_ROWS_IN_VIEW)


def test_fifteen_rows_and_the_stats_fit_at_1440_by_900(demo_host: LocalHost, new_page) -> None:
    page = new_page(viewport=LAPTOP)
    open_jobs(page, demo_host.base_url)
    expect(page.locator("#enqueue-panel")).not_to_have_attribute("open", "")
    assert page.evaluate(STATS_IN_VIEW)
    assert whole_rows(page) >= 15
    # each row is one line: the scope's type and key side by side
    first = page.locator("#jobs-body tr[data-job-id]").first
    assert first.evaluate("row => row.getBoundingClientRect().height") < 34


def test_roomy_rows_show_fewer_rows_and_are_remembered(demo_host: LocalHost, new_page) -> None:
    page = new_page(viewport=LAPTOP)
    open_jobs(page, demo_host.base_url)
    compact = whole_rows(page)
    page.get_by_label("Roomy rows").check()
    expect(page.locator("html")).to_have_attribute("data-density", "comfortable")
    assert whole_rows(page) < compact

    open_jobs(page, demo_host.base_url)
    expect(page.get_by_label("Roomy rows")).to_be_checked()
    assert whole_rows(page) < compact
    page.get_by_label("Roomy rows").uncheck()
    assert whole_rows(page) == compact
