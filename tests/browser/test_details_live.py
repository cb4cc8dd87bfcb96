"""Details opened on an unfinished job follows it: it asks again (with the job's ETag) until the job
is final, so it never says "Running" about a finished job; Cancel and Retry act from the top."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from shared.clock import utc_now
from shared.jobs.repository import JobsRepository
from tests.browser.data import open_db
from tests.browser.pages import open_jobs, row


def details_status(page):
    return page.locator("#details-body dt", has_text=re.compile("^Status$")).locator("xpath=following-sibling::dd[1]")


def test_details_changes_status_while_open_and_then_stops_asking(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    detail_requests: list[int] = []
    page.on("response", lambda response: detail_requests.append(response.status) if "job_id=" in response.url else None)
    running = sample.jobs["running"]
    open_jobs(page, sample.base_url, f"?job={running.job_id}")
    expect(details_status(page)).to_have_text("Running")
    page.wait_for_timeout(2_500)
    assert 304 in detail_requests, "an unchanged job is asked for with its ETag and answers 304"

    db = open_db(sample.host.sqlite_path)
    assert JobsRepository(db).cancel(running.job_id, "canceled by the on-call engineer", utc_now())
    db.close()
    expect(details_status(page)).to_have_text("Canceled", timeout=6_000)
    expect(row(page, running.job_id).locator(".badge")).to_have_text("Canceled")  # the list follows
    asked = len(detail_requests)
    page.wait_for_timeout(4_500)
    assert len(detail_requests) == asked, "a final job is not asked for again"


def test_cancel_and_retry_from_the_top_of_details(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    queued = sample.jobs["queued"]
    open_jobs(page, sample.base_url, f"?job={queued.job_id}")
    details = page.locator("#details-dialog")
    details.get_by_role("button", name=f"Cancel job {queued.job_id[:8]}").click()
    confirm = page.locator("#confirm-dialog")
    expect(confirm).to_contain_text("You can retry it later.")
    confirm.get_by_role("button", name="Cancel job", exact=True).click()
    expect(details_status(page)).to_have_text("Canceled")

    details.get_by_role("button", name=f"Retry job {queued.job_id[:8]}").click()
    expect(details.get_by_role("status")).to_contain_text("queued again as a new attempt")
    expect(details_status(page)).to_have_text("Queued")
    expect(details.get_by_role("button", name=re.compile("^Retry job"))).to_have_count(0)
    expect(details.get_by_role("button", name=re.compile("^Cancel job"))).to_be_visible()
