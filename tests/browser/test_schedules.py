"""The scheduling panels on the jobs page: "Enqueue report" and "Report schedules", in Chromium
against the real local host (loopback admin) and its own SQLite file."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

from playwright.sync_api import Page, expect

from shared.clock import utc_now
from shared.jobs.periods import last_month, last_week
from tests.browser.conftest import SampleHost, screenshot
from tests.browser.pages import open_jobs, row, rows


def schedules_api(sample: SampleHost) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{sample.base_url}/api/admin/schedules", timeout=30) as response:
        return json.loads(response.read())["schedules"]


def open_panel(page: Page, name: str) -> None:
    page.locator("summary", has_text=name).click()


def test_enqueue_form_defaults_suggests_scopes_and_shows_new_or_existing_job(own_sample_host, new_page, console) -> None:
    console.expect("status of 400 (Bad Request)")  # the empty-key submission below is refused on purpose
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    today = utc_now().date()
    open_panel(page, "Enqueue report")

    form = page.locator("#enqueue-form")
    expect(form.get_by_label("Week to report")).to_have_value(last_week(today))
    expect(form.get_by_label("Month to report")).to_have_value(last_month(today))
    expect(form.get_by_label("Month to report")).to_be_disabled()
    form.get_by_label("Scope type").fill("network")
    suggested = page.locator("#enqueue-keys option").evaluate_all("options => options.map(o => o.value)")
    assert {"NET-OK", "NET-WAIT", "NET-RUN"} <= set(suggested)

    form.get_by_role("button", name="Enqueue report").click()
    expect(page.locator("#enqueue-error")).to_contain_text("Not queued: 'scope_key' must be 1-200 characters, not blank, with no control characters")

    form.get_by_label("Scope key").fill("NET-NEW")
    form.get_by_role("button", name="Enqueue report").click()
    result = page.locator("#enqueue-result")
    expect(result).to_contain_text("Queued job")
    expect(result).to_contain_text(f"for network NET-NEW, {last_week(today)}")
    expect(page.locator("#enqueue-error")).to_be_empty()
    new_id = result.locator("[data-job-id]").get_attribute("data-job-id")
    assert new_id
    expect(row(page, new_id)).to_be_visible()  # the jobs list refreshed itself
    expect(rows(page)).to_have_count(6)

    form.get_by_role("button", name="Enqueue report").click()
    expect(result).to_contain_text("Already covered by job")
    expect(result).to_contain_text("(queued)")
    expect(result.locator("[data-job-id]")).to_have_attribute("data-job-id", new_id)
    expect(rows(page)).to_have_count(6)

    form.get_by_role("radio", name="Month").check()
    expect(form.get_by_label("Week to report")).to_be_disabled()
    form.get_by_label("Scope key").fill("NET-RUN")
    form.get_by_role("button", name="Enqueue report").click()
    expect(result).to_contain_text("Queued job")
    expect(result).to_contain_text(f"for network NET-RUN, {last_month(today)}")
    expect(rows(page)).to_have_count(7)
    screenshot(page, "enqueue_form")


def test_schedule_list_create_pause_resume_run_now_edit_and_delete(own_sample_host, new_page, console) -> None:
    console.expect("status of 400 (Bad Request)")  # the bad cron expression is refused on purpose
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    open_panel(page, "Report schedules")
    body = page.locator("#schedules-body")
    expect(body).to_contain_text("No schedules yet")

    form = page.locator("#schedule-form")
    form.get_by_label("Name").fill("monthly NET-WAIT")
    form.get_by_label("Scope type").fill("network")
    form.get_by_label("Scope key").fill("NET-WAIT")
    form.get_by_label("Report on").select_option("month")
    form.get_by_label("When (cron, UTC)").fill("0 6 31 2 *")
    form.get_by_role("button", name="Create schedule").click()
    expect(page.locator("#schedule-error")).to_contain_text("Not created: 'cron' '0 6 31 2 *' never matches a date")
    assert schedules_api(sample) == []

    form.get_by_label("Common schedules").select_option("0 6 1 * *")
    expect(form.get_by_label("When (cron, UTC)")).to_have_value("0 6 1 * *")
    form.get_by_role("button", name="Create schedule").click()
    expect(page.locator("#schedules-status")).to_contain_text('Created schedule "monthly NET-WAIT". Next run')
    expect(page.locator("#schedule-error")).to_be_empty()
    [created] = schedules_api(sample)
    rule = body.locator(f'tr[data-schedule-id="{created["schedule_id"]}"]')
    expect(rule).to_contain_text("Month just ended")
    expect(rule.locator("code")).to_have_text("0 6 1 * *")
    expect(rule.locator(".next-run time")).to_have_attribute("datetime", created["next_run_at"])
    expect(rule.locator(".last-run")).to_have_text("Never")

    rule.get_by_role("button", name="Pause: monthly NET-WAIT").click()
    expect(rule.locator(".next-run")).to_have_text("Paused")
    expect(rule.get_by_role("button", name="Resume: monthly NET-WAIT")).to_be_visible()
    assert schedules_api(sample)[0]["paused"] is True
    rule.get_by_role("button", name="Resume: monthly NET-WAIT").click()
    expect(rule.locator(".next-run time")).to_be_visible()
    assert schedules_api(sample)[0]["paused"] is False

    month = last_month(utc_now().date())
    rule.get_by_role("button", name="Run now: monthly NET-WAIT").click()
    expect(page.locator("#schedules-status")).to_have_text(f"monthly NET-WAIT: queued 1 new job(s) for {month}.")
    expect(rule.locator(".last-result")).to_contain_text(f"{month}: 1 new, 0 already queued (run now by local-admin)")
    [queued] = schedules_api(sample)[0]["last_result"]["jobs"]
    expect(row(page, queued["job_id"])).to_be_visible()  # the jobs list shows the job the rule queued
    rule.get_by_role("button", name="Run now: monthly NET-WAIT").click()
    expect(page.locator("#schedules-status")).to_contain_text(f"{month} was already queued at")
    expect(page.locator("#schedules-status")).to_contain_text("nothing new was queued")

    rule.get_by_role("button", name="Edit: monthly NET-WAIT").click()
    expect(form.get_by_label("Name")).to_be_focused()
    form.get_by_label("Name").fill("all networks weekly")
    form.get_by_label(re.compile("^All scopes of this type")).check()
    expect(form.get_by_label("Scope key")).to_be_disabled()
    form.get_by_label("Report on").select_option("week")
    form.get_by_label("When (cron, UTC)").fill("0 6 * * 1")
    form.get_by_role("button", name="Save changes").click()
    expect(page.locator("#schedules-status")).to_contain_text('Saved schedule "all networks weekly"')
    expect(rule).to_contain_text("all scopes with data")
    expect(rule).to_contain_text("Week just ended")
    [edited] = schedules_api(sample)
    assert (edited["name"], edited["scope_key"], edited["period_kind"], edited["cron"]) == ("all networks weekly", None, "week", "0 6 * * 1")
    screenshot(page, "schedules_list")

    rule.get_by_role("button", name="Delete: all networks weekly").click()
    confirm = page.get_by_role("dialog", name='Delete schedule "all networks weekly"?')
    confirm.get_by_role("button", name="Keep").click()
    expect(rule).to_be_visible()
    rule.get_by_role("button", name="Delete: all networks weekly").click()
    confirm.get_by_role("button", name="Delete").click()
    expect(page.locator("#schedules-status")).to_have_text('Deleted schedule "all networks weekly".')
    expect(body).to_contain_text("No schedules yet")
    assert schedules_api(sample) == []

    # Every one of those changes is in the audit log, newest first, with who made it.
    page.mouse.wheel(0, 20_000)
    audit = page.locator("#audit-log .audit-table tbody")
    expect(audit).to_contain_text("Deleted schedule")
    actions = [text for text in audit.locator("td:nth-child(3)").all_inner_texts() if text.endswith("schedule") or text == "Ran schedule now"]
    assert actions == ["Deleted schedule", "Edited schedule", "Ran schedule now", "Ran schedule now", "Resumed schedule", "Paused schedule", "Created schedule"]
    expect(audit.locator("tr", has_text="Deleted schedule")).to_contain_text("local-admin")
