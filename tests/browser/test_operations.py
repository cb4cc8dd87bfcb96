"""The Operations page in real Chromium on the real local host: worker health, uPlot charts under the
strict CSP, the model comparison with cost, range and bucket in the URL, and cost in job Details."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.clock import utc_now
from shared.jobs.models import Job, Status
from shared.jobs.repository import JobsRepository
from shared.worker.runs import WorkerRunsRepository
from tests.browser.conftest import screenshot
from tests.browser.data import open_db
from tests.browser.host import LocalHost, start_host
from tests.metrics.jobs import add_timed_job

PRICES = '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}'
RUN_ERROR = "could not claim jobs: OperationalError: database is locked"


@dataclass
class OpsHost:
    host: LocalHost
    priced: Job
    stuck: Job


@pytest.fixture(scope="module")
def ops_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpsHost]:
    workdir = tmp_path_factory.mktemp("ops_host")
    path = workdir / "jobs.sqlite3"
    db = open_db(path)
    created = utc_now() - timedelta(hours=2)
    priced = add_timed_job(db, created, Status.SUCCEEDED, 30, 12, model="gpt-4o-mini", gen_ms=9000, prompt_tokens=1_000_000, completion_tokens=100_000)
    add_timed_job(db, created, Status.SUCCEEDED, 45, 20, model="llama-local", gen_ms=15000, prompt_tokens=3000, completion_tokens=800)
    add_timed_job(db, created, Status.FAILED, 60, 5)
    stuck = add_timed_job(db, created, Status.QUEUED)
    JobsRepository(db).claim("vanished-worker", 1, 60, utc_now() - timedelta(minutes=10))  # its lease ran out 9 min ago
    runs = WorkerRunsRepository(db)
    runs.start("failed-run", "timer", "host:1:failed", utc_now() - timedelta(hours=1))
    runs.finish(
        "failed-run",
        utc_now() - timedelta(hours=1) + timedelta(seconds=3),
        dict.fromkeys(("reaped", "claimed", "succeeded", "failed", "requeued", "canceled"), 0),
        RUN_ERROR,
    )
    db.close()
    host = start_host(workdir, sqlite_path=path, MODEL_PRICES=PRICES)
    yield OpsHost(host, priced, stuck)
    host.stop()


def open_ops(page: Page, base_url: str, query: str = "") -> None:
    response = page.goto(f"{base_url}/admin/ops{query}")
    assert response is not None and "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("#last-updated")).to_contain_text("Last updated")


def test_the_nav_leads_to_health_and_four_charts_drawn_by_uplot(ops_host: OpsHost, new_page) -> None:
    page = new_page(viewport={"width": 1280, "height": 1800})
    page.goto(f"{ops_host.host.base_url}/admin/jobs")
    page.get_by_role("link", name="Operations").click()
    expect(page).to_have_url(re.compile(r"/admin/ops$"))
    expect(page.locator("#last-updated")).to_contain_text("Last updated")

    # Every chart is a uPlot canvas; a CSP violation or script error would fail the test through the console.
    for chart in ("outcomes", "success-rate", "timing", "models"):
        expect(page.locator(f"[data-chart='{chart}'] .uplot canvas")).to_have_count(1)
    expect(page.locator("[data-chart='outcomes'] .ops-chart__summary")).to_have_text(
        "2 succeeded, 1 failed, 0 canceled of 4 jobs created in the last 24 hours."
    )
    expect(page.locator("[data-chart='success-rate'] .ops-chart__summary")).to_contain_text("66.7% of the jobs that finished succeeded")
    expect(page.locator("[data-chart='models'] .u-legend")).to_contain_text("gpt-4o-mini")

    expect(page.locator("[data-card='running']")).to_contain_text("1 stuck past their lease")
    stuck_row = page.locator(f"tr[data-job-id='{ops_host.stuck.job_id}']")
    expect(stuck_row).to_contain_text("vanished-worker")
    expect(stuck_row).to_contain_text(re.compile(r"Expired 9 min \d+ s ago"))
    expect(stuck_row.locator("td").nth(4)).to_have_text(re.compile(r" ago$"))  # "Lease renewed 10 min 0 s ago"
    stuck_link = stuck_row.get_by_role("link", name=f"Details of job {ops_host.stuck.job_id[:8]}")
    expect(stuck_link).to_have_attribute("href", f"/admin/jobs?job={ops_host.stuck.job_id}")
    expect(page.get_by_role("list", name="Warnings")).to_contain_text("past their lease")
    expect(page.locator("[data-card='next-run']")).to_contain_text("0 0 0 1 1 *")
    expect(page.locator("[data-card='last-run']")).to_contain_text("Failed")
    expect(page.get_by_role("table", name="Worker runs that failed")).to_contain_text(RUN_ERROR)
    screenshot(page, "operations")


def test_model_comparison_shows_tokens_success_and_cost(ops_host: OpsHost, new_page) -> None:
    page = new_page()
    open_ops(page, ops_host.host.base_url, "?range=7d")
    table = page.locator("#models-table")
    mini = table.locator("tr[data-model='gpt-4o-mini']")
    # p50/p95 of one 9,000 ms report read as its histogram bin's value (within 1/11): 8,985 ms.
    expect(mini.locator("td")).to_have_text(["1", "100%", "8.98 s (8,985 ms)", "8.98 s (8,985 ms)", "1,000,000", "100,000", "1,100,000", "$0.21", "$0.21"])
    expect(table.locator("tr[data-model='llama-local'] td").nth(7)).to_have_text("no price set")
    expect(table.locator("tr[data-model=''] td").nth(1)).to_have_text("0%")
    expect(page.locator("[data-total='cost']")).to_contain_text("$0.21")
    expect(page.locator("[data-total='cost']")).to_contain_text("Not priced (set MODEL_PRICES): llama-local")


def test_range_and_bucket_live_in_the_url(ops_host: OpsHost, new_page) -> None:
    page = new_page()
    open_ops(page, ops_host.host.base_url)
    expect(page.locator("#bucket option[value='day']")).to_be_disabled()
    page.select_option("#range", "7d")
    expect(page).to_have_url(re.compile(r"\?range=7d&bucket=day$"))
    expect(page.locator("[data-chart='outcomes'] h3")).to_have_text("Succeeded and failed per day")
    page.select_option("#bucket", "hour")
    expect(page).to_have_url(re.compile(r"\?range=7d&bucket=hour$"))
    expect(page.locator("[data-chart='outcomes'] h3")).to_have_text("Succeeded and failed per hour")
    page.go_back()
    expect(page.locator("#bucket")).to_have_value("day")
    expect(page.locator("[data-chart='outcomes'] h3")).to_have_text("Succeeded and failed per day")


def test_job_details_show_the_estimated_cost(ops_host: OpsHost, new_page) -> None:
    page = new_page()
    page.goto(f"{ops_host.host.base_url}/admin/jobs")
    page.locator(f'#jobs-body tr[data-job-id="{ops_host.priced.job_id}"]').get_by_role("button", name=re.compile("^Details")).click()
    cost = page.locator("#details-body dt", has_text=re.compile("^Estimated Cost$")).locator("xpath=following-sibling::dd[1]")
    expect(cost).to_have_text("$0.21")


def test_a_page_without_data_says_so(tmp_path: Path, new_page) -> None:
    path = tmp_path / "jobs.sqlite3"
    db = open_db(path)
    add_timed_job(db, utc_now() - timedelta(days=60), Status.SUCCEEDED, 1, 1)  # keeps the host from seeding demo data
    db.close()
    host = start_host(tmp_path, sqlite_path=path)
    try:
        page = new_page()
        open_ops(page, host.base_url)
        expect(page.locator("[data-card='last-run']")).to_contain_text("No runs yet")
        expect(page.locator("#usage")).to_contain_text("No jobs finished in this range.")
        expect(page.locator("[data-chart='models'] .ops-chart__summary")).to_have_text("No reports were generated in this range.")
        expect(page.get_by_role("list", name="Warnings")).to_have_count(0)
    finally:
        host.stop()
