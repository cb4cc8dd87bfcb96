"""The jobs list: navigation, stat cards, table, filter, pagination and the URL, on the seeded demo data."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import SampleHost, screenshot
from tests.browser.pages import open_jobs, row, rows, stat, wait_loaded
from tests.support.host import Host


def showing(first: int, last: int, total: int | None = None) -> str:
    shown = f"Showing {first}\N{EN DASH}{last}"
    return shown if total is None else f"{shown} of {total:,} jobs"


CARDS = ("total", "queued", "running", "succeeded", "failed", "canceled")


def test_root_leads_to_the_page_with_nav_stats_and_the_first_fifty_jobs(demo_host: Host, new_page) -> None:
    page = new_page(viewport={"width": 1366, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(demo_host.base_url + "/")
    expect(page).to_have_url(demo_host.base_url + "/admin/jobs")
    wait_loaded(page)
    expected = demo_host.api("?page=1&limit=50")

    nav_link = page.get_by_role("navigation", name="Admin").get_by_role("link", name="AI Jobs")
    expect(nav_link).to_have_attribute("href", "/admin/jobs")
    for key in CARDS:
        expect(stat(page, key)).to_have_text(f"{expected['stats'][key]:,}")
    expect(page.locator(".stat .stat__label")).to_have_text(["Total", "Queued", "Running", "Succeeded", "Failed", "Canceled"])
    assert expected["queue"]["oldest_wait_seconds"] > 0  # the demo data always has queued jobs
    expect(page.locator("#oldest-wait")).to_have_text(re.compile(r"^oldest waiting \d+ (s|min|h)"))

    expect(rows(page)).to_have_count(50)
    for job in expected["jobs"]:
        shown = row(page, job["job_id"])
        expect(shown.locator("code")).to_have_text(job["job_id"][:8])
        expect(shown.locator("code")).to_have_attribute("title", job["job_id"])
        expect(shown.locator(".scope")).to_have_text(job["scope_type"] + job["scope_key"])
        expect(shown.locator(".badge")).to_have_text(job["status"].capitalize())
        expect(shown.locator('td[data-label="Created by"]')).to_have_text(job["created_by"])
        expect(shown.get_by_role("button", name=re.compile("^Details"))).to_be_visible()
        expect(shown.get_by_role("button", name=re.compile("^Cancel"))).to_have_count(1 if job["status"] in ("queued", "running") else 0)
    expect(page.locator("#pagination")).to_contain_text(showing(1, 50, expected["stats"]["total"]))
    expect(page.locator("#pagination")).to_contain_text(f"Page 1 of {expected['pagination']['pages']}")
    assert all(url.startswith(demo_host.base_url + "/") for url in requests), "the page must not contact another origin"
    screenshot(page, "jobs-list")


def test_status_badges_and_cards_use_the_spec_colours(demo_host: Host, new_page) -> None:
    page = new_page()
    open_jobs(page, demo_host.base_url)
    backgrounds = {
        "queued": "rgb(254, 243, 199)",  # yellow
        "running": "rgb(219, 234, 254)",  # blue
        "succeeded": "rgb(220, 252, 231)",  # green
        "failed": "rgb(254, 226, 226)",  # red
        "canceled": "rgb(229, 231, 235)",  # gray
    }
    for status, colour in backgrounds.items():
        page.get_by_role("link", name=re.compile(f"^{status.capitalize()}")).click()
        expect(page.locator(f".badge--{status}").first).to_have_css("background-color", colour)
        expect(page.locator(f".stat--{status}")).to_have_css("border-top-color", re.compile(r"rgb\("))
    tops = {status: page.locator(f".stat--{status}").evaluate("el => getComputedStyle(el).borderTopColor") for status in backgrounds}
    assert len(set(tops.values())) == len(tops), "each status card has its own colour"


def test_filter_and_page_live_in_the_url_and_the_back_button_walks_them(demo_host: Host, new_page) -> None:
    page = new_page()
    open_jobs(page, demo_host.base_url)
    stats = demo_host.api("?limit=1")["stats"]

    failed = page.get_by_role("link", name=re.compile("^Failed"))
    failed.click()
    expect(page).to_have_url(demo_host.base_url + "/admin/jobs?status=failed")
    expect(failed).to_have_attribute("aria-current", "true")
    expect(rows(page)).to_have_count(stats["failed"])
    expect(rows(page).locator(".badge")).to_have_text(["Failed"] * stats["failed"])

    page.get_by_role("link", name=re.compile("^All")).click()
    expect(page).to_have_url(demo_host.base_url + "/admin/jobs")
    page.get_by_role("link", name=re.compile("^Next")).click()
    expect(page).to_have_url(demo_host.base_url + "/admin/jobs?page=2")
    second_page = demo_host.api("?page=2&limit=50")["jobs"]
    expect(rows(page).first).to_have_attribute("data-job-id", second_page[0]["job_id"])
    expect(page.locator("#pagination")).to_contain_text(showing(51, 100, stats["total"]))

    page.go_back()
    expect(page).to_have_url(demo_host.base_url + "/admin/jobs")
    expect(page.locator("#pagination")).to_contain_text(showing(1, 50))
    page.go_back()
    expect(page).to_have_url(demo_host.base_url + "/admin/jobs?status=failed")
    expect(rows(page)).to_have_count(stats["failed"])
    expect(failed).to_have_attribute("aria-current", "true")
    page.go_forward()
    expect(page.locator("#pagination")).to_contain_text(showing(1, 50))
    expect(page.get_by_role("link", name=re.compile("^All"))).to_have_attribute("aria-current", "true")


def test_a_bookmarked_view_opens_as_saved_and_the_last_page_has_no_next(demo_host: Host, new_page) -> None:
    page = new_page()
    stats = demo_host.api("?limit=1")["stats"]
    open_jobs(page, demo_host.base_url, "?status=succeeded&page=2")
    expect(page.get_by_role("link", name=re.compile("^Succeeded"))).to_have_attribute("aria-current", "true")
    expect(page.locator("#pagination")).to_contain_text(showing(51, 100, stats["succeeded"]))
    expect(rows(page).locator(".badge")).to_have_text(["Succeeded"] * 50)

    page.get_by_role("link", name=re.compile("^Last")).click()
    pages = -(-stats["succeeded"] // 50)
    expect(page).to_have_url(demo_host.base_url + f"/admin/jobs?status=succeeded&page={pages}")
    expect(page.locator("#pagination")).to_contain_text(f"of {stats['succeeded']} jobs")
    expect(page.get_by_role("link", name=re.compile("^Next"))).to_have_count(0)
    expect(page.locator('.page-link[aria-disabled="true"]', has_text="Next")).to_be_visible()

    open_jobs(page, demo_host.base_url, "?page=999")  # past the end: the last page, and the URL says so
    expect(page).to_have_url(demo_host.base_url + f"/admin/jobs?page={-(-stats['total'] // 50)}")


def test_times_show_in_local_time_with_its_zone_and_utc_on_hover(sample_host: SampleHost, new_page) -> None:
    page = new_page(timezone_id="Asia/Kolkata")  # UTC+05:30
    open_jobs(page, sample_host.base_url)
    created = row(page, sample_host.jobs["succeeded"].job_id).locator('td[data-label="Created"] time')
    expect(created).to_have_text("Jan 2, 8:34 AM GMT+5:30")
    expect(created).to_have_attribute("title", "2025-01-02 03:04:05.000 UTC")
    queue_time = row(page, sample_host.jobs["succeeded"].job_id).locator('td[data-label="Queue time"] span')
    expect(queue_time).to_have_text("2 min 5 s")
    expect(queue_time).to_have_attribute("title", "125.000 seconds")


def test_narrow_screen_in_dark_mode_shows_cards_without_sideways_scrolling(demo_host: Host, new_page) -> None:
    page = new_page(viewport={"width": 375, "height": 812}, color_scheme="dark", is_mobile=True, has_touch=True)
    open_jobs(page, demo_host.base_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator("body")).to_have_css("background-color", "rgb(15, 18, 22)")
    expect(page.locator("body")).to_have_css("color", "rgb(230, 233, 238)")
    first = rows(page).first
    expect(first.locator('td[data-label="Status"]')).to_have_css("display", "flex")
    box = first.bounding_box()
    assert box and box["width"] <= 375
    first.get_by_role("button", name=re.compile("^Details")).tap()
    dialog = page.locator("#details-dialog")
    expect(dialog.locator(".details-section").first).to_be_visible()
    dialog_box = dialog.bounding_box()
    assert dialog_box and dialog_box["x"] >= 0 and dialog_box["x"] + dialog_box["width"] <= 375
    screenshot(page, "jobs-details-375-dark")
