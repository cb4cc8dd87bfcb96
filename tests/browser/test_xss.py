"""Job text with HTML and script in it shows as text: nothing runs, and no element is injected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shared.clock import utc_now
from tests.browser.conftest import start_page_host
from tests.browser.pages import open_jobs, row
from tests.conftest import sqlite_database
from tests.support.host import Host
from tests.support.jobs import add_job, add_snapshot

SCOPE = "<img src=/xss-scope onerror=\"window.__xss='scope'\">"
REASON = "<script>window.__xss='reason'</script><b>bold</b>"
STACK = "</pre><img src=/xss-stack onerror=\"window.__xss='stack'\">\n<svg onload=\"window.__xss='svg'\"></svg>"
CREATED_BY = '"><iframe srcdoc="<script>parent.__xss=\'by\'</script>"></iframe>'
HEADLINE = "<img src=/xss-headline onerror=\"window.__xss='headline'\">"
KPI = "<a href=\"javascript:window.__xss='kpi'\">kpi</a>"
INJECTED = "img, script, svg, iframe, b, a[href^='javascript']"


@pytest.fixture(scope="module")
def hostile_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Host, dict[str, str]]]:
    workdir: Path = tmp_path_factory.mktemp("xss")
    db = sqlite_database(workdir / "jobs.sqlite3")
    now = utc_now()
    failed = add_job(
        db,
        status="failed",
        scope_key=SCOPE,
        reason=REASON,
        error_detail=STACK,
        created_by=CREATED_BY,
        created_at=now - timedelta(minutes=5),
        started_at=now - timedelta(minutes=4),
        finished_at=now - timedelta(minutes=3),
    )
    succeeded = add_job(
        db,
        status="succeeded",
        scope_key=SCOPE,
        reason=REASON,
        created_by=CREATED_BY,
        created_at=now - timedelta(minutes=2),
        started_at=now - timedelta(minutes=2),
        finished_at=now - timedelta(minutes=1),
    )
    add_snapshot(db, succeeded, {"headline": HEADLINE, "summary": REASON, "kpis": [{"name": KPI, "value": SCOPE}], "highlights": [STACK]})
    db.close()
    host = start_page_host(workdir, db_path=workdir / "jobs.sqlite3")
    yield host, {"failed": failed.job_id, "succeeded": succeeded.job_id}
    host.stop()


def test_hostile_job_text_renders_inert_in_the_table_and_the_modal(hostile_host, new_page) -> None:
    host, jobs = hostile_host
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_jobs(page, host.base_url)

    failed_row = row(page, jobs["failed"])
    expect(failed_row.locator(".scope__key")).to_have_text(SCOPE)
    expect(failed_row.locator('td[data-label="Created by"]')).to_have_text(CREATED_BY)
    expect(page.locator(f"#jobs-body :is({INJECTED})")).to_have_count(0)

    failed_row.get_by_role("button", name=re.compile("^Details")).click()
    body = page.locator("#details-body")
    errors = body.locator(".details-section", has=page.get_by_role("heading", name="Error Details", level=3))
    expect(errors.locator("pre.stack")).to_have_text(STACK)
    expect(errors.locator("pre.error-text").first).to_have_text(REASON)
    expect(body.locator(f":is({INJECTED})")).to_have_count(0)
    page.keyboard.press("Escape")

    row(page, jobs["succeeded"]).get_by_role("button", name=re.compile("^Details")).click()
    expect(body.locator(".analysis__headline")).to_have_text(HEADLINE)
    expect(body.locator(".kpis tbody td").first).to_have_text(KPI)
    expect(body.locator(".analysis li")).to_have_text([STACK])
    expect(body.locator(f":is({INJECTED})")).to_have_count(0)

    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") is None, "no injected script ran"
    assert dialogs == []
    assert not [url for url in requests if "/xss-" in url], "no injected element loaded anything"
