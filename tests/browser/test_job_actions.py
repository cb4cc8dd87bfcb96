"""Cancel (with its confirmation) and Trigger Worker Now, each against a host of the test's own."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, start_page_host
from tests.browser.pages import open_jobs, row, stat


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


def test_trigger_worker_now_answers_at_once_and_the_page_shows_the_jobs_run(tmp_path, new_page, azurite) -> None:
    # The queue trigger runs the jobs (the timer never fires here): the page's polling shows them finish.
    host = start_page_host(tmp_path, JOB_DISPATCH="queue", AzureWebJobsStorage=azurite, JOB_QUEUE_NAME=f"jobs-{uuid.uuid4().hex[:12]}")
    try:
        before = host.api("?limit=1")["stats"]
        assert before["queued"] > 0
        page = new_page()
        open_jobs(page, host.base_url)
        page.get_by_label("Auto-refresh (2 s)").check()  # the page's own polling shows the jobs move

        page.get_by_role("button", name="Trigger Worker Now").click()
        notice = page.locator("#notices .notice--success")
        expect(notice).to_contain_text(re.compile(rf"^Sent {before['queued']} queued jobs? to the worker queue; they start within seconds\."))
        expect(page.get_by_role("button", name="Trigger Worker Now")).to_be_enabled()
        expect(stat(page, "queued")).to_have_text("0", timeout=60_000)
        after = host.api("?limit=1")["stats"]
        assert after["queued"] == 0
        assert after["succeeded"] + after["failed"] == before["succeeded"] + before["failed"] + before["queued"]
        screenshot(page, "trigger-worker-result")
    finally:
        host.stop()
