"""What the page says after an action or a failure matches what happened: the banner's colour follows
the outcome, one notice area holds the latest result, a retry is not styled as destructive, and a
host that stopped answering is named as such while stale durations stop ticking."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import open_jobs, row, rows

GREEN = "rgb(220, 252, 231)"  # --succeeded-bg


def test_trigger_worker_now_answers_at_once_and_the_failed_job_shows_as_failed(own_sample_host, new_page) -> None:
    # The button only hands the jobs to the worker; what became of them shows in the list as it refreshes.
    sample = own_sample_host()  # its queued job has no source rows, so the run fails it
    queued = sample.jobs["queued"]
    page = new_page()
    open_jobs(page, sample.base_url)
    page.get_by_label("Auto-refresh (2 s)").check()
    page.get_by_role("button", name="Trigger Worker Now").click()
    expect(page.locator("#notices .notice")).to_contain_text("A worker pass started for 1 queued job.")
    expect(page.get_by_role("button", name="Trigger Worker Now")).to_be_enabled()
    expect(row(page, queued.job_id).locator(".badge")).to_have_text("Failed", timeout=30_000)


def test_one_notice_area_keeps_only_the_latest_action_result(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    failed = sample.jobs["failed"]
    row(page, failed.job_id).get_by_role("button", name=re.compile("^Retry")).click()
    expect(page.locator("#notices")).to_contain_text(f"Job {failed.job_id[:8]} was queued again.")
    expect(page.locator("#notices .notice")).to_have_css("background-color", GREEN)

    queued = sample.jobs["queued"]
    row(page, queued.job_id).get_by_role("button", name=re.compile("^Cancel")).click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel job", exact=True).click()
    expect(page.locator("#notices")).to_contain_text(f"Job {queued.job_id[:8]} was canceled.")
    expect(page.locator("#notices .notice")).to_have_count(1)
    assert page.locator(".notices").count() == 1


def test_bulk_retry_asks_with_a_plain_button_and_cancel_says_it_can_be_retried(sample_host, new_page) -> None:
    page = new_page()
    open_jobs(page, sample_host.base_url, "?status=failed")
    page.get_by_role("button", name="Retry all matching…").click()
    dialog = page.get_by_role("dialog")
    confirm = dialog.get_by_role("button", name="Retry jobs")
    expect(confirm).to_have_class(re.compile("btn--primary"))
    expect(confirm).not_to_have_class(re.compile("danger"))
    dialog.get_by_role("button", name="Go back").click()

    open_jobs(page, sample_host.base_url)
    queued = sample_host.jobs["queued"]
    row(page, queued.job_id).get_by_role("button", name=re.compile("^Cancel")).click()
    expect(dialog).to_contain_text("You can retry it later.")
    expect(dialog).not_to_contain_text("cannot be undone")
    dialog.get_by_role("button", name="Keep job").click()


def test_with_the_host_down_the_page_says_it_retries_and_stops_ticking(own_sample_host, new_page, console) -> None:
    console.expect("net::ERR_CONNECTION_REFUSED")
    console.expect("status of 503 (Service Unavailable)")  # a host shutting down answers 503 first
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    running = row(page, sample.jobs["running"].job_id).locator(".duration--live")
    expect(running).to_have_count(1)
    page.get_by_label("Auto-refresh (2 s)").check()
    sample.host.stop()

    expect(page.locator("#last-updated")).to_contain_text("update failed, retrying", timeout=15_000)
    frozen = running.inner_text()
    page.wait_for_timeout(2_500)
    assert running.inner_text() == frozen, "a duration from a stale answer kept ticking"
    expect(rows(page)).to_have_count(5)


def test_the_history_by_column_never_breaks_a_word(sample_host, new_page) -> None:
    page = new_page(viewport={"width": 375, "height": 800})
    job = sample_host.jobs["canceled"]
    open_jobs(page, sample_host.base_url, f"?job={job.job_id}")
    by = page.locator("#details-body .history-table tbody td:nth-child(3)").first
    expect(by).not_to_have_text("—")
    lines = by.evaluate(
        "cell => { const range = document.createRange(); range.selectNodeContents(cell); return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; }"
    )
    assert lines == 1, "the actor's name wrapped inside the By column"
