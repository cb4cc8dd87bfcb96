"""Cancel (with its confirmation) and Trigger Worker Now, each against a host of the test's own."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, start_page_host
from tests.browser.pages import open_jobs, row, rows, stat


def test_cancel_asks_first_then_shows_the_job_canceled(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    queued = sample.jobs["queued"]
    expect(row(page, sample.jobs["succeeded"].job_id).get_by_role("button", name=re.compile("^Cancel"))).to_have_count(0)
    expect(row(page, sample.jobs["failed"].job_id).get_by_role("button", name=re.compile("^Cancel"))).to_have_count(0)

    cancel = row(page, queued.job_id).get_by_role("button", name=re.compile("^Cancel"))
    cancel.click()
    confirm = page.get_by_role("dialog", name=f"Cancel job {queued.job_id[:8]}?")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("network NET-WAIT, 2025-W01")
    expect(confirm.get_by_role("button", name="Keep job")).to_be_focused()
    confirm.get_by_role("button", name="Keep job").click()
    expect(confirm).not_to_be_visible()
    expect(cancel).to_be_focused()
    cancel.click()
    page.keyboard.press("Escape")
    expect(confirm).not_to_be_visible()
    expect(row(page, queued.job_id).locator(".badge")).to_have_text("Queued")
    assert sample.host.api(f"?job_id={queued.job_id}")["job"]["status"] == "queued", "declining the confirmation changes nothing"

    cancel.click()
    confirm.get_by_role("button", name="Cancel job").click()
    expect(row(page, queued.job_id).locator(".badge")).to_have_text("Canceled")
    expect(row(page, queued.job_id).get_by_role("button", name=re.compile("^Cancel"))).to_have_count(0)
    expect(page.locator("#notices")).to_contain_text(f"Job {queued.job_id[:8]} was canceled.")
    expect(stat(page, "canceled")).to_have_text("2")
    expect(stat(page, "queued")).to_have_text("0")
    assert sample.host.api(f"?job_id={queued.job_id}")["job"]["status"] == "canceled"

    running = sample.jobs["running"]
    row(page, running.job_id).get_by_role("button", name=re.compile("^Cancel")).click()
    page.get_by_role("dialog", name=f"Cancel job {running.job_id[:8]}?").get_by_role("button", name="Cancel job").click()
    expect(row(page, running.job_id).locator(".badge")).to_have_text("Canceled")
    expect(stat(page, "running")).to_have_text("0")


def test_cancel_of_a_job_that_finished_meanwhile_says_so(own_sample_host, new_page, console) -> None:
    console.expect("status of 409 (Conflict)")  # Chromium logs every failed response; this one is the point of the test
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    queued = sample.jobs["queued"]
    sample.host.api("", {"action": "cancel_job", "job_id": queued.job_id})  # someone else got there first

    row(page, queued.job_id).get_by_role("button", name=re.compile("^Cancel")).click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel job", exact=True).click()
    expect(page.locator("#notices")).to_contain_text(f"Job {queued.job_id[:8]} was not canceled: Job {queued.job_id} is already canceled")
    expect(row(page, queued.job_id).locator(".badge")).to_have_text("Canceled")


def test_trigger_worker_now_reports_what_the_run_did(tmp_path, new_page) -> None:
    host = start_page_host(tmp_path)  # seeded demo data: queued jobs with source rows for the offline generator
    try:
        before = host.api("?limit=1")["stats"]
        assert before["queued"] > 0
        page = new_page()
        open_jobs(page, host.base_url, "?status=queued")
        expect(rows(page)).to_have_count(before["queued"])

        page.get_by_role("button", name="Trigger Worker Now").click()
        notice = page.locator("#notices .notice--success")
        expect(notice).to_contain_text(re.compile(r"^Worker ran in \d+\.\d s: \d+ claimed"))
        counts = {label: int(n) for n, label in re.findall(r"(\d+) (claimed|succeeded|failed|requeued|canceled|still queued)", notice.inner_text())}
        after = host.api("?limit=1")["stats"]
        assert counts["claimed"] == before["queued"] - after["queued"] > 0
        assert counts["succeeded"] == after["succeeded"] - before["succeeded"]
        assert counts["still queued"] == after["queued"]
        expect(stat(page, "queued")).to_have_text(str(after["queued"]))
        expect(stat(page, "succeeded")).to_have_text(f"{after['succeeded']:,}")
        expect(rows(page)).to_have_count(after["queued"])
        expect(page.get_by_role("button", name="Trigger Worker Now")).to_be_enabled()
        screenshot(page, "trigger-worker-result")
    finally:
        host.stop()
