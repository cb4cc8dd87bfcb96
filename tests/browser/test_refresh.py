"""Manual and auto-refresh. The page's clock is Playwright's fake clock, so "2 s later" is exact and instant."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import SampleHost
from tests.browser.pages import ListRequests, open_jobs, row, rows, set_tab_hidden
from tests.support.host import Host

INTERVAL_MS = 2000


def start(page: Page, base_url: str) -> ListRequests:
    """Open the page on a paused fake clock: its timers fire only when a test runs the clock."""
    now = datetime.now(UTC)
    page.clock.install(time=now)
    page.clock.pause_at(now + timedelta(seconds=1))
    requests = ListRequests.attach(page)
    open_jobs(page, base_url)
    requests.wait_settled(1)
    return requests


def test_auto_refresh_every_two_seconds_pauses_while_hidden(demo_host: Host, new_page) -> None:
    page = new_page()
    requests = start(page, demo_host.base_url)
    first_update = page.locator("#last-updated").inner_text()

    page.clock.run_for(3 * INTERVAL_MS)
    requests.wait_settled(1)  # off by default: nothing happens by itself

    page.get_by_label("Auto-refresh (2 s)").check()
    requests.wait_settled(2)  # turning it on refreshes at once
    for expected in (3, 4, 5):
        page.clock.run_for(INTERVAL_MS)
        requests.wait_settled(expected)
    expect(page.locator("#last-updated")).not_to_have_text(first_update)

    set_tab_hidden(page, True)
    page.clock.run_for(10 * INTERVAL_MS)
    requests.wait_settled(5)  # hidden tab: no requests at all

    set_tab_hidden(page, False)
    requests.wait_settled(6)  # visible again: refresh at once, then every 2 s
    page.clock.run_for(INTERVAL_MS)
    requests.wait_settled(7)

    page.get_by_label("Auto-refresh (2 s)").uncheck()
    page.clock.run_for(5 * INTERVAL_MS)
    requests.wait_settled(7)
    assert requests.max_in_flight == 1


def test_refresh_never_sends_a_second_request_while_one_is_in_flight(demo_host: Host, new_page) -> None:
    page = new_page()
    requests = start(page, demo_host.base_url)
    # Five clicks in one task: the first request is certainly still in flight for the other four.
    page.evaluate("() => { for (let i = 0; i < 5; i++) document.getElementById('refresh').click(); }")
    requests.wait_settled(3)  # the one in flight, then one more for all the clicks made meanwhile
    assert requests.max_in_flight == 1

    page.get_by_label("Auto-refresh (2 s)").check()
    requests.wait_settled(4)
    page.evaluate("""() => {
        document.querySelector('#filters a[data-status="failed"]').click();
        document.querySelector('#filters a[data-status="queued"]').click();
        document.getElementById('refresh').click();
    }""")
    page.clock.run_for(INTERVAL_MS)
    expect(page).to_have_url(demo_host.base_url + "/admin/jobs?status=queued")
    expect(rows(page).locator(".badge").first).to_have_text("Queued")
    assert requests.max_in_flight == 1


def test_auto_refresh_keeps_the_scroll_position_and_an_open_modal(demo_host: Host, new_page) -> None:
    page = new_page(viewport={"width": 1280, "height": 600})
    requests = start(page, demo_host.base_url)
    page.get_by_label("Auto-refresh (2 s)").check()
    requests.wait_settled(2)
    target = rows(page).nth(30)
    target.scroll_into_view_if_needed()
    scroll_y = page.evaluate("window.scrollY")
    assert scroll_y > 0
    target.get_by_role("button", name=re.compile("^Details")).click()
    dialog = page.locator("#details-dialog")
    expect(dialog.locator(".details-section").first).to_be_visible()

    for expected in (3, 4):
        page.clock.run_for(INTERVAL_MS)
        requests.wait_settled(expected)
    expect(dialog).to_be_visible()
    expect(dialog.locator(".details-section").first).to_be_visible()
    assert page.evaluate("window.scrollY") == scroll_y
    page.keyboard.press("Escape")
    expect(target.get_by_role("button", name=re.compile("^Details"))).to_be_focused()  # the re-rendered twin


def test_processing_time_of_a_running_job_ticks_without_a_request(sample_host: SampleHost, new_page) -> None:
    page = new_page()
    requests = start(page, sample_host.base_url)
    running = row(page, sample_host.jobs["running"].job_id)
    processing = running.locator('td[data-label="Processing time"] span')
    queued_wait = row(page, sample_host.jobs["queued"].job_id).locator('td[data-label="Queue time"] span')
    finished = row(page, sample_host.jobs["succeeded"].job_id).locator('td[data-label="Processing time"] span')
    before, waited = seconds(processing.inner_text()), seconds(queued_wait.inner_text())
    assert before >= 30  # it started 30 s before the host did

    page.clock.run_for(5000)
    expect(processing).to_have_text(shown(before + 5))
    expect(queued_wait).to_have_text(shown(waited + 5))
    expect(finished).to_have_text("30 s")
    requests.wait_settled(1)


def shown(whole_seconds: int) -> str:
    minutes, rest = divmod(whole_seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def seconds(text: str) -> int:
    match = re.fullmatch(r"(?:(\d+) min )?(\d+)(?:\.\d)? s", text)
    assert match, text
    return int(match.group(1) or 0) * 60 + int(match.group(2))
