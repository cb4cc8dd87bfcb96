"""The list answers "why did it fail?" without a click: the reason on one line (full text on hover),
the attempts, a job waiting for its next attempt as a state of its own, and a search's match marked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from shared.clock import utc_now
from shared.db import Database
from shared.jobs.models import Job
from shared.jobs.repository import JobsRepository
from tests.browser.data import CREATED, SAMPLE
from tests.browser.pages import open_jobs, row, rows, wait_loaded
from tests.conftest import sqlite_database
from tests.support.jobs import add_job

LONG_REASON = "Content filter blocked the completion: " + "the prompt named a region the policy lists " * 4 + "(content_filter)"


def test_a_failed_row_shows_its_reason_and_attempts(sample_host, new_page) -> None:
    page = new_page(viewport={"width": 1440, "height": 900})
    open_jobs(page, sample_host.base_url)
    failed = row(page, sample_host.jobs["failed"].job_id)
    expect(failed.locator(".reason")).to_have_text("Azure OpenAI request timed out after 30 s")
    expect(failed.locator("td[data-label='Attempts']")).to_have_text("3 of 3")
    expect(row(page, sample_host.jobs["succeeded"].job_id).locator("td[data-label='Model']")).to_have_text("gpt-4o-mini")  # instead of a reason


def add_waiting_job(db: Database) -> Job:
    """The oldest queued job is claimed, and its attempt ends in a transient failure: retry in 10 min."""
    waiting = add_job(db, **SAMPLE, status="queued", scope_key="NET-429", max_attempts=3, created_at=CREATED - timedelta(days=1))
    [claimed] = JobsRepository(db).claim("test-worker", 1, 600, utc_now())
    assert claimed.job_id == waiting.job_id
    assert JobsRepository(db).retry_later(claimed, 600, "Rate limited (429)", None, utc_now())
    return waiting


def test_the_retrying_chip_lists_only_the_jobs_waiting_for_their_next_attempt(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    db = sqlite_database(sample.host.db_path)
    waiting = add_waiting_job(db)
    db.close()
    page = new_page(viewport={"width": 1440, "height": 900})
    open_jobs(page, sample.base_url)
    expect(row(page, sample.jobs["queued"].job_id)).to_be_visible()

    page.locator('#filters a[data-status="retrying"]').click()
    expect(rows(page)).to_have_count(1)
    expect(row(page, waiting.job_id).locator(".badge")).to_contain_text("Retry 2 of 3 at")
    expect(page.locator('#filters a[data-status="retrying"]')).to_have_attribute("aria-current", "true")
    assert "status=retrying" in page.url  # the view can be bookmarked
    page.reload()
    wait_loaded(page)
    expect(rows(page)).to_have_count(1)


def test_a_job_waiting_to_retry_reads_retry_n_of_m_at_a_time(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    db = sqlite_database(sample.host.db_path)
    waiting = add_waiting_job(db)
    long = add_job(
        db, **SAMPLE, status="failed", scope_key="NET-LONG", attempts=1, max_attempts=1, reason=LONG_REASON, created_at=utc_now() - timedelta(minutes=1)
    )
    db.close()
    page = new_page(viewport={"width": 1440, "height": 900})
    open_jobs(page, sample.base_url)

    due = datetime.fromisoformat(sample.host.api(f"?job_id={waiting.job_id}")["job"]["run_after"])
    badge = row(page, waiting.job_id).locator(".badge")
    expect(badge).to_have_text(f"Retry 2 of 3 at {due:%I:%M %p} UTC")  # en-US in UTC, as the test browser runs
    expect(row(page, sample.jobs["queued"].job_id).locator(".badge")).to_have_text("Queued")
    assert badge.evaluate("el => getComputedStyle(el).borderTopStyle") == "dashed"  # it looks apart from Queued

    reason = row(page, long.job_id).locator(".reason")
    expect(reason).to_have_attribute("title", LONG_REASON)
    box = row(page, long.job_id).bounding_box()
    assert box is not None and box["height"] < 34, "a long reason stays on one line"


def test_a_search_marks_the_text_that_matched(sample_host, new_page) -> None:
    page = new_page()
    open_jobs(page, sample_host.base_url, "?q=timed+OUT")
    failed = row(page, sample_host.jobs["failed"].job_id)
    expect(failed.locator("mark")).to_have_text(["timed out"])

    open_jobs(page, sample_host.base_url, "?q=APITimeoutError")  # only in the stack trace
    expect(failed.locator("td[data-label='Reason']")).to_contain_text("matched in the stack trace")

    prefix = sample_host.jobs["failed"].job_id[:2]
    open_jobs(page, sample_host.base_url, f"?q={prefix}")
    expect(failed.locator("code mark")).to_have_text(prefix)
    expect(page.locator("#jobs-body mark", has_text=re.compile("."))).not_to_have_count(0)
