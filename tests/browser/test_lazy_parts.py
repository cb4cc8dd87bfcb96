"""Parts of the jobs page that load on first use: when their code cannot be fetched the user reads a
clear message in place of the part, and "Try again" brings the part once the network is back."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import SampleHost
from tests.browser.host import LocalHost
from tests.browser.pages import open_jobs, row

FETCH_FAILED = "net::ERR_FAILED"  # what Chromium logs for a request the test aborts


def cut_off(page: Page, path: str) -> None:
    page.route(f"**{path}", lambda route: route.abort())


def test_a_panel_whose_code_cannot_load_says_so_and_loads_on_try_again(sample_host: SampleHost, new_page, console) -> None:
    console.expect(FETCH_FAILED)
    page = new_page()
    cut_off(page, "/assets/js/schedules.js")
    open_jobs(page, sample_host.base_url)
    page.locator("summary", has_text="Report schedules").click()
    panel = page.locator("#schedules-panel")
    expect(panel.get_by_role("alert")).to_contain_text("This part of the page could not be loaded. Check your connection")

    page.unroute("**/assets/js/schedules.js")
    panel.get_by_role("button", name="Try again").click()
    expect(page.locator("#schedules-body")).to_contain_text("No schedules yet")
    expect(panel).not_to_contain_text("could not be loaded")


def test_details_whose_stylesheet_cannot_load_says_so_and_shows_styled_facts_on_try_again(sample_host: SampleHost, new_page, console) -> None:
    console.expect(FETCH_FAILED)
    page = new_page()
    cut_off(page, "/assets/css/details.css")
    open_jobs(page, sample_host.base_url)
    job = sample_host.jobs["succeeded"]
    row(page, job.job_id).get_by_role("button", name=re.compile("^Details")).click()
    notice = page.locator('#notices [data-notice="details"]')
    expect(notice).to_contain_text("This part of the page could not be loaded.")

    page.unroute("**/assets/css/details.css")
    notice.get_by_role("button", name="Try again").click()
    expect(notice).to_have_count(0)
    facts = page.locator("#details-body .facts").first
    expect(facts).to_contain_text(job.job_id)
    assert facts.evaluate("element => getComputedStyle(element).display") == "grid"  # styled, not bare text


def test_a_bulk_button_whose_code_cannot_load_says_so_and_works_when_clicked_again(sample_host: SampleHost, new_page, console) -> None:
    console.expect(FETCH_FAILED)
    page = new_page()
    cut_off(page, "/assets/js/manage/bulk-actions.js")
    open_jobs(page, sample_host.base_url, "?status=failed")
    page.get_by_role("button", name="Retry all matching…").click()
    expect(page.locator("#notices")).to_contain_text("This part of the page could not be loaded.")

    page.unroute("**/assets/js/manage/bulk-actions.js")
    page.get_by_role("button", name="Retry all matching…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Retry 1 matching job?")
    dialog.get_by_role("button", name="Go back").click()
    expect(dialog).to_be_hidden()


def test_the_audit_log_loads_when_scrolled_to_and_says_so_when_it_cannot(demo_host: LocalHost, new_page, console) -> None:
    console.expect(FETCH_FAILED)
    page = new_page()
    cut_off(page, "/assets/js/manage/audit.js")
    open_jobs(page, demo_host.base_url)
    audit = page.locator("#audit-log")
    expect(audit).to_be_empty()  # a full page of jobs keeps it below the fold

    page.mouse.wheel(0, 20_000)
    expect(audit.get_by_role("alert")).to_contain_text("This part of the page could not be loaded.")
    page.unroute("**/assets/js/manage/audit.js")
    audit.get_by_role("button", name="Try again").click()
    expect(audit.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(audit.get_by_role("status")).to_contain_text(re.compile(r"entries|No admin actions yet"))
