"""The Details modal: what it shows for each outcome, and that it works from the keyboard alone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import SampleHost, screenshot
from tests.browser.data import ANALYSIS, STACK_TRACE
from tests.browser.pages import open_jobs, row


def open_details(page: Page, job_id: str) -> None:
    row(page, job_id).get_by_role("button", name=re.compile("^Details")).click()
    expect(page.locator("#details-body .details-section").first).to_be_visible()


def section(page: Page, title: str):
    return page.locator("#details-body .details-section", has=page.get_by_role("heading", name=title, level=3, exact=True))


def fact(page: Page, term: str):
    return page.locator("#details-body dt", has_text=re.compile(f"^{term}$")).locator("xpath=following-sibling::dd[1]")


def test_succeeded_job_shows_job_information_and_snapshot_details(sample_host: SampleHost, new_page) -> None:
    page = new_page(timezone_id="Asia/Kolkata")
    open_jobs(page, sample_host.base_url)
    job = sample_host.jobs["succeeded"]
    open_details(page, job.job_id)

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(f"Job {job.job_id[:8]}")
    expect(section(page, "Job Information")).to_be_visible()
    expect(section(page, "Snapshot Details")).to_be_visible()
    expect(fact(page, "Job ID")).to_contain_text(job.job_id)
    expect(fact(page, "Scope")).to_have_text("network · NET-OK")
    expect(fact(page, "Status")).to_have_text("Succeeded")
    expect(fact(page, "Created At")).to_have_text("Jan 2, 2025, 8:34:05 AM GMT+5:30")
    expect(fact(page, "Created At").locator("time")).to_have_attribute("title", "2025-01-02 03:04:05.000 UTC")
    expect(fact(page, "Queue Time")).to_have_text("2 min 5 s")
    expect(fact(page, "Queue Time").locator("span")).to_have_attribute("title", "125.000 seconds")
    expect(fact(page, "Processing Time")).to_have_text("30 s")
    expect(fact(page, "Created By")).to_have_text("browser-test")
    expect(fact(page, "Reason")).to_have_text("ok")

    expect(fact(page, "Rows Processed")).to_have_text("42")
    expect(fact(page, "AI Model")).to_have_text("gpt-4o-mini")
    expect(fact(page, "Generation Time")).to_have_text("1.23 s (1,234 ms)")
    expect(fact(page, "JSON Size")).to_have_text(re.compile(r"^\d+ bytes$"))
    expect(fact(page, "Prompt Tokens")).to_have_text("1,500")
    expect(fact(page, "Completion Tokens")).to_have_text("500")
    expect(fact(page, "Total Tokens")).to_have_text("2,000")
    analysis = section(page, "Snapshot Details").locator(".analysis")
    expect(analysis.locator(".analysis__headline")).to_have_text(ANALYSIS["headline"])
    expect(analysis).to_contain_text(ANALYSIS["summary"])
    expect(analysis.locator(".kpis tbody tr")).to_have_text(["revenue_eur812,345.5 EUR779,000 EUR+4.2%"])
    expect(analysis.locator("li")).to_have_text([*ANALYSIS["highlights"], *ANALYSIS["risks"], *ANALYSIS["recommendations"]])
    expect(dialog).not_to_contain_text("Error Details")
    screenshot(page, "job-details-modal")


def test_failed_job_shows_the_full_reason_and_stack_trace(sample_host: SampleHost, new_page) -> None:
    page = new_page()
    open_jobs(page, sample_host.base_url)
    job = sample_host.jobs["failed"]
    open_details(page, job.job_id)
    dialog = page.get_by_role("dialog")
    errors = section(page, "Error Details")
    expect(errors.locator("pre.error-text")).to_have_count(2)
    assert errors.locator("pre.error-text").first.text_content() == job.reason
    assert errors.locator("pre.stack").text_content() == STACK_TRACE
    expect(fact(page, "Attempts")).to_have_text("3 of 3")
    expect(dialog).not_to_contain_text("Snapshot Details")


def test_modal_keeps_focus_inside_closes_on_escape_and_returns_focus(sample_host: SampleHost, new_page) -> None:
    page = new_page()
    open_jobs(page, sample_host.base_url)
    job = sample_host.jobs["succeeded"]
    details_button = row(page, job.job_id).get_by_role("button", name=re.compile("^Details"))
    details_button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#details-dialog")
    expect(dialog.locator(".details-section").first).to_be_visible()
    inside = "() => document.getElementById('details-dialog').contains(document.activeElement)"
    assert page.evaluate(inside), "focus moves into the modal"

    seen = set()
    for _ in range(40):  # more presses than the modal has controls (Model Calls adds its own), so Tab comes round
        page.keyboard.press("Tab")
        assert page.evaluate(inside), "Tab never leaves the modal"
        seen.add(page.evaluate("document.activeElement.textContent"))
    assert {"✕", "Copy"} <= seen, "Tab cycles round the modal's controls"
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(inside), "Shift+Tab never leaves the modal"

    page.keyboard.press("Escape")
    expect(dialog).not_to_be_visible()
    expect(details_button).to_be_focused()

    details_button.click()
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Close details").click()
    expect(dialog).not_to_be_visible()
    expect(details_button).to_be_focused()


def test_copy_buttons_copy_the_full_job_id(sample_host: SampleHost, new_page) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    open_jobs(page, sample_host.base_url)
    job = sample_host.jobs["failed"]
    copy = row(page, job.job_id).get_by_role("button", name=f"Copy job ID {job.job_id}")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == job.job_id

    other = sample_host.jobs["queued"]
    open_details(page, other.job_id)
    page.get_by_role("dialog").get_by_role("button", name=f"Copy job ID {other.job_id}").click()
    assert page.evaluate("navigator.clipboard.readText()") == other.job_id


def test_a_link_with_job_opens_its_details_and_closing_forgets_it(sample_host: SampleHost, new_page) -> None:
    """Alert emails and webhooks link to /admin/jobs?job=ID."""
    page = new_page()
    job = sample_host.jobs["failed"]
    open_jobs(page, sample_host.base_url, f"?job={job.job_id}")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(f"Job {job.job_id[:8]}")
    expect(section(page, "Error Details")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page).not_to_have_url(re.compile("job="))

    open_details(page, job.job_id)
    expect(page).to_have_url(re.compile(f"job={job.job_id}"))  # the open Details can be shared as a link
