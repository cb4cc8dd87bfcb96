"""axe-core (the npm package, installed by scripts/system-deps.sh) over each page and state a user
meets: light and dark, Details open, and a 375 px phone. No serious or critical violation is allowed.

axe is injected as a script, which the page's CSP (script-src 'self') would refuse, so these
contexts bypass CSP; the page's own code runs as it always does."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.host import REPO, LocalHost
from tests.browser.pages import open_jobs, rows

AXE = REPO / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1440, "height": 900}
RUN_AXE = """async () => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
}"""


def serious_violations(page: Page) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make system-deps` (scripts/system-deps.sh installs axe-core)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def assert_accessible(page: Page) -> None:
    found = serious_violations(page)
    assert not found, json.dumps(found, indent=1)


def open_ops(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/admin/ops")
    expect(page.locator("#last-updated")).to_contain_text("Last updated")
    expect(page.locator("[data-chart] .uplot").first).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1440px", "375px"])
def test_the_jobs_page_has_no_serious_violations(demo_host: LocalHost, new_page, scheme: str, viewport: dict[str, int]) -> None:
    page = new_page(color_scheme=scheme, viewport=viewport, bypass_csp=True)
    open_jobs(page, demo_host.base_url)
    assert_accessible(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_jobs_page_with_details_open_has_no_serious_violations(demo_host: LocalHost, new_page, scheme: str) -> None:
    page = new_page(color_scheme=scheme, viewport=LAPTOP, bypass_csp=True)
    open_jobs(page, demo_host.base_url, "?status=failed")
    rows(page).first.get_by_role("button", name=re.compile("^Details")).click()
    expect(page.locator("#details-body .details-section").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1440px", "375px"])
def test_the_operations_page_has_no_serious_violations(demo_host: LocalHost, new_page, scheme: str, viewport: dict[str, int]) -> None:
    page = new_page(color_scheme=scheme, viewport=viewport, bypass_csp=True)
    open_ops(page, demo_host.base_url)
    assert_accessible(page)
