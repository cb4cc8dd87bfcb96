"""Search, bulk actions, retry with state history, CSV export, the audit log and the viewer role,
in real Chromium against the real local host."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import SampleHost, screenshot
from tests.browser.pages import open_jobs, row, rows


def audit_log(page: Page) -> Locator:
    """Scroll down to the audit log below the jobs list, as a user does; it loads when it comes near."""
    page.mouse.wheel(0, 10_000)
    return page.locator("#audit-log")


def search(page: Page, text: str) -> None:
    page.get_by_label("Search jobs").fill(text)
    page.get_by_role("button", name="Search", exact=True).click()


def test_search_filters_the_list_and_lives_in_the_url(sample_host: SampleHost, new_page) -> None:
    page = new_page()
    open_jobs(page, sample_host.base_url)
    failed = sample_host.jobs["failed"]
    search(page, failed.scope_key)
    expect(rows(page)).to_have_count(1)
    expect(row(page, failed.job_id)).to_be_visible()
    assert re.search(r"[?&]q=", page.url)
    page.reload()  # a bookmark of the search shows the same
    expect(page.get_by_label("Search jobs")).to_have_value(failed.scope_key)
    expect(rows(page)).to_have_count(1)
    search(page, "no job has this text")
    expect(page.locator("#jobs-body")).to_contain_text("No jobs match this search.")
    page.get_by_role("button", name="Clear search").click()
    expect(page.get_by_label("Search jobs")).to_have_value("")
    expect(rows(page)).to_have_count(len(sample_host.jobs))


def test_retry_from_the_row_then_details_keep_the_failed_attempt(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    failed = sample.jobs["failed"]
    row(page, failed.job_id).get_by_role("button", name=re.compile("^Retry job")).click()
    expect(page.locator("#notices")).to_contain_text(f"Job {failed.job_id[:8]} was queued again.")
    expect(row(page, failed.job_id).locator(".badge")).to_have_text("Queued")
    row(page, failed.job_id).get_by_role("button", name=re.compile("^Details")).click()
    history = page.locator("#details-body .history")
    expect(history).to_contain_text("State History")
    changes = history.locator("tbody tr .history-change")
    expect(changes.last).to_have_text("Failed → Queued")
    expect(history.locator("tbody tr").last).to_contain_text("local-admin")
    expect(history).to_contain_text("Failed")  # the earlier attempt's end is still there
    screenshot(page, "operations-history")


def test_bulk_cancel_of_selected_rows_confirms_and_reports(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    queued, succeeded = sample.jobs["queued"], sample.jobs["succeeded"]
    row(page, queued.job_id).get_by_role("checkbox").check()
    row(page, succeeded.job_id).get_by_role("checkbox").check()
    expect(page.locator(".bulk-bar__count")).to_have_text("2 selected")
    page.get_by_role("button", name="Cancel selected").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Cancel 2 selected jobs?")
    dialog.get_by_role("button", name="Cancel jobs").click()
    expect(page.locator("#notices")).to_contain_text("Canceled 1 job. Skipped 1: 1 had already finished.")
    expect(row(page, queued.job_id).locator(".badge")).to_have_text("Canceled")
    expect(page.locator(".bulk-bar__count")).to_have_text("No rows selected")
    expect(audit_log(page).locator("tbody tr").first).to_contain_text("Bulk cancel")


def test_retry_all_matching_asks_with_the_count_and_going_back_changes_nothing(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url, "?status=failed")
    page.get_by_role("button", name="Retry all matching…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Retry 1 matching job?")
    dialog.get_by_role("button", name="Go back").click()
    expect(row(page, sample.jobs["failed"].job_id).locator(".badge")).to_have_text("Failed")


def test_export_downloads_the_filtered_csv(sample_host: SampleHost, new_page) -> None:
    page = new_page(accept_downloads=True)
    open_jobs(page, sample_host.base_url, "?status=failed")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert re.match(r"jobs-\d{8}-\d{6}Z\.csv$", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    data = list(csv.DictReader(io.StringIO(text)))
    assert [item["job_id"] for item in data] == [sample_host.jobs["failed"].job_id]


def test_a_viewer_sees_the_jobs_but_no_action_buttons(own_sample_host, new_page) -> None:
    sample = own_sample_host(AUTH_MODE="platform")
    principal = {"identityProvider": "aad", "userId": "v1", "userDetails": "vera@contoso.com", "userRoles": ["anonymous", "authenticated", "viewer"]}
    page = new_page(extra_http_headers={"x-ms-client-principal": base64.b64encode(json.dumps(principal).encode()).decode()})
    open_jobs(page, sample.base_url)
    expect(rows(page)).to_have_count(len(sample.jobs))
    expect(page.locator("html")).to_have_attribute("data-can-write", "false")
    for name in ("Trigger Worker Now", "Cancel selected", "Retry all matching…"):
        expect(page.get_by_role("button", name=name)).to_be_hidden()
    expect(row(page, sample.jobs["queued"].job_id).get_by_role("button", name=re.compile("^Cancel"))).to_be_hidden()
    expect(row(page, sample.jobs["failed"].job_id).get_by_role("button", name=re.compile("^Retry"))).to_be_hidden()
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()  # reading is allowed
    expect(page.locator("summary", has_text="Enqueue report")).to_be_hidden()
    page.locator("summary", has_text="Last 24 hours and the worker").click()  # reading, so a viewer has it
    expect(page.locator('#trend-panel [data-worker="next"]')).to_contain_text("Jan 1")
    expect(audit_log(page)).to_contain_text("Audit log")
    screenshot(page, "operations-viewer")
