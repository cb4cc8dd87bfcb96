"""The on-call glance (issue 18, points 1, 4 and 5): the model a succeeded job used and the Retrying
chip's count in the list, one time rule with a zone label and a local/UTC switch on both pages, a
schedule's next run in both zones, and the last 24 hours with the worker's last and next run."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from shared.clock import utc_now
from tests.browser.data import SAMPLE
from tests.browser.pages import open_jobs, row, rows
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_on_call_list import add_waiting_job
from tests.conftest import sqlite_database
from tests.support.jobs import add_job

KOLKATA = "Asia/Kolkata"  # UTC+05:30 all year: no daylight saving time to make the test depend on the date


def test_a_succeeded_row_names_its_model_and_the_retrying_chip_counts_the_waiting_jobs(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    db = sqlite_database(sample.host.db_path)
    add_waiting_job(db)
    add_waiting_job(db)
    db.close()
    page = new_page(viewport={"width": 1440, "height": 900})
    open_jobs(page, sample.base_url)

    model = row(page, sample.jobs["succeeded"].job_id).locator("td[data-label='Model']")
    expect(model).to_have_text("gpt-4o-mini")  # add_snapshot's model
    expect(row(page, sample.jobs["failed"].job_id).locator("td[data-label='Reason']")).to_have_text("Azure OpenAI request timed out after 30 s")
    stats = sample.host.api("?page=1")["stats"]
    assert stats["retrying"] == 2
    expect(page.locator('#filters a[data-status="retrying"] .filter__count')).to_have_text(str(stats["retrying"]))
    expect(page.locator('#filters a[data-status="queued"] .filter__count')).to_have_text(str(stats["queued"]))


def created_cell(page: Page, job_id: str):
    return row(page, job_id).locator('td[data-label="Created"] time')


def test_every_time_shows_its_zone_and_the_switch_to_utc_holds_on_both_pages(sample_host, new_page) -> None:
    page = new_page(timezone_id=KOLKATA)
    open_jobs(page, sample_host.base_url)
    job_id = sample_host.jobs["succeeded"].job_id
    zone = page.get_by_label("Times in")
    expect(zone.locator("option[value='local']")).to_have_text("local (GMT+5:30)")
    expect(created_cell(page, job_id)).to_have_text("Jan 2, 8:34 AM GMT+5:30")  # 03:04:05 UTC
    expect(created_cell(page, job_id)).to_have_attribute("title", "2025-01-02 03:04:05.000 UTC")
    expect(page.locator("#last-updated time")).to_have_text(re.compile(r"GMT\+5:30$"))
    expect(page.locator("#search-zone")).to_have_text("days in GMT+5:30")

    zone.select_option("utc")
    expect(created_cell(page, job_id)).to_have_text("Jan 2, 3:04 AM UTC")  # in place, without a reload
    expect(page.locator("#last-updated time")).to_have_text(re.compile(r"UTC$"))
    expect(page.locator("#search-zone")).to_have_text("days in UTC")

    page.reload()
    expect(created_cell(page, job_id)).to_have_text("Jan 2, 3:04 AM UTC")
    expect(page.get_by_label("Times in")).to_have_value("utc")

    page.goto(f"{sample_host.base_url}/admin/ops")  # the Operations page follows the same choice
    expect(page.get_by_label("Times in")).to_have_value("utc")
    expect(page.locator("#last-updated time")).to_have_text(re.compile(r"UTC$"))
    expect(page.locator("[data-chart='outcomes'] .ops-chart__plot")).to_have_attribute("data-x-label", "Time (UTC)")
    page.get_by_label("Times in").select_option("local")
    expect(page.locator("#last-updated time")).to_have_text(re.compile(r"GMT\+5:30$"))
    expect(page.locator("[data-chart='outcomes'] .ops-chart__plot")).to_have_attribute("data-x-label", "Time (GMT+5:30)")


def test_a_job_waiting_to_retry_shows_when_in_the_chosen_zone(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    db = sqlite_database(sample.host.db_path)
    waiting = add_waiting_job(db)
    db.close()
    page = new_page(timezone_id=KOLKATA)
    open_jobs(page, sample.base_url)
    due = sample.host.api(f"?job_id={waiting.job_id}")["job"]["run_after"]
    local_due = page.evaluate("iso => new Date(iso).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' })", due)
    expect(row(page, waiting.job_id).locator(".badge")).to_have_text(f"Retry 2 of 3 at {local_due} GMT+5:30")


def test_search_days_are_days_of_the_chosen_zone(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    db = sqlite_database(sample.host.db_path)
    late = add_job(db, **SAMPLE, status="failed", scope_key="NET-LATE", created_at=sample.jobs["succeeded"].created_at.replace(day=1, hour=20))
    db.close()
    page = new_page(timezone_id=KOLKATA)  # 2025-01-01 20:00 UTC is 2 January, 01:30 in Kolkata
    open_jobs(page, sample.base_url, "?from=2025-01-02&to=2025-01-02")
    expect(row(page, late.job_id)).to_be_visible()
    expect(rows(page)).to_have_count(4)  # with the succeeded, failed and canceled sample jobs of 2 January

    page.get_by_label("Times in").select_option("utc")  # the same days in UTC: NET-LATE is of 1 January
    expect(row(page, late.job_id)).to_have_count(0)
    expect(rows(page)).to_have_count(3)


def test_a_schedules_next_run_reads_in_both_zones(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    body = {"action": "create", "name": "Monday brief", "scope_type": "network", "scope_key": None, "period_kind": "week", "cron": "0 6 * * 1"}
    created = sample.host.request("POST", "/api/admin/schedules", body)
    assert created.status in (200, 201), created.body
    page = new_page(timezone_id=KOLKATA)
    open_jobs(page, sample.base_url)
    page.locator("summary", has_text="Report schedules").click()
    next_run = page.locator("#schedules-panel .next-run")
    expect(next_run).to_have_text(re.compile(r"^Mon, \w{3} \d{1,2}, 06:00 AM UTC · Mon, \w{3} \d{1,2}, 11:30 AM GMT\+5:30$"))


def add_hourly_jobs(db: Any, hours_ago: int, succeeded: int, failed: int) -> None:
    created = utc_now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours_ago) + timedelta(minutes=10)
    for index in range(succeeded + failed):
        status = "succeeded" if index < succeeded else "failed"
        add_job(
            db,
            **SAMPLE,
            status=status,
            scope_key=f"NET-H{hours_ago}-{index}",
            created_at=created,
            started_at=created,
            finished_at=created + timedelta(seconds=5),
        )


def test_the_last_24_hours_and_the_workers_runs_show_in_their_panel(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    db = sqlite_database(sample.host.db_path)
    add_hourly_jobs(db, 2, succeeded=3, failed=1)
    add_hourly_jobs(db, 5, succeeded=2, failed=0)
    db.close()
    sample.host.run_worker()  # a pass to show as the last run (it runs the queued sample job, in this hour)
    page = new_page(viewport={"width": 1440, "height": 900})
    open_jobs(page, sample.base_url)
    page.locator("summary", has_text="Last 24 hours and the worker").click()

    panel = page.locator("#trend-panel")
    metrics = sample.host.request("GET", "/api/admin/metrics?range=24h&bucket=hour").json()
    expect(panel.locator('[data-total="succeeded"]')).to_have_text(f"{metrics['totals']['succeeded']} succeeded")
    expect(panel.locator('[data-total="failed"]')).to_have_text(f"{metrics['totals']['failed']} failed")
    bars = panel.locator(".trend__hour")
    expect(bars).to_have_count(24)
    shown = bars.evaluate_all("hours => hours.map((hour) => [Number(hour.dataset.succeeded), Number(hour.dataset.failed)])")
    assert shown == [list(pair) for pair in zip(metrics["series"]["succeeded"], metrics["series"]["failed"], strict=True)]
    assert shown[-6] == [2, 0] and shown[-3] == [3, 1]  # 5 and 2 hours ago, as seeded
    busiest = bars.nth(21)
    expect(busiest).to_have_attribute("title", re.compile(r"UTC: 3 succeeded, 1 failed$"))
    heights = [bars.nth(index).locator(".trend__ok").bounding_box()["height"] for index in (18, 21)]
    assert heights[1] > heights[0] > 0  # 3 succeeded stand taller than 2

    expect(panel.locator('[data-worker="last"]')).to_have_text(re.compile(r"UTC · \d+(\.\d)? s ago · http · ok$"))
    expect(panel.locator('[data-worker="next"]')).to_have_text(re.compile(r"^Jan 1, 12:00 AM UTC · in \d+ d"))  # WORKER_SCHEDULE: NEVER, 1 January

    page.reload()  # the panel stays open, and loads again
    expect(page.locator("#trend-panel")).to_have_attribute("open", "")
    expect(page.locator('#trend-panel [data-total="failed"]')).to_have_text(f"{metrics['totals']['failed']} failed")


def test_the_open_24_hour_panel_has_no_serious_violations(demo_host, new_page) -> None:
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme, viewport={"width": 1440, "height": 900}, bypass_csp=True)
        open_jobs(page, demo_host.base_url)
        page.locator("summary", has_text="Last 24 hours and the worker").click()
        expect(page.locator('#trend-panel [data-total="succeeded"]')).to_be_visible()
        assert_accessible(page)
