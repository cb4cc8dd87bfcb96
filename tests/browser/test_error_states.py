"""Each failure gets a clear message and none blanks the page: API down, signed out, forbidden, no jobs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import SampleHost, screenshot, start_sample_host
from tests.browser.data import delete_jobs
from tests.browser.pages import open_jobs, principal, rows, stat, wait_loaded
from tests.conftest import sqlite_database

SIGN_IN = "/.auth/login/aad?post_login_redirect_uri=%2Fadmin%2Fjobs"


@pytest.fixture(scope="module")
def platform_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleHost]:
    """Signed-in users as Static Web Apps presents them: the x-ms-client-principal header."""
    sample = start_sample_host(tmp_path_factory.mktemp("platform_host"), AUTH_MODE="platform")
    yield sample
    sample.host.stop()


def load_error(page: Page):
    return page.locator('#notices [data-notice="load"]')


def test_api_unreachable_keeps_the_last_list_and_says_so(own_sample_host, new_page, console) -> None:
    console.expect("net::ERR_CONNECTION_REFUSED")
    # Chromium fetches the favicon again when Details changes the URL; a host shutting down answers 503.
    console.expect("status of 503 (Service Unavailable)")
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    expect(rows(page)).to_have_count(5)
    # Details' code loads on first use; load it while the host is up, since this test is about the
    # API (test_lazy_parts.py covers code that cannot be fetched).
    rows(page).first.get_by_role("button", name=re.compile("^Details")).click()
    expect(page.locator("#details-body .details-section").first).to_be_visible()
    page.keyboard.press("Escape")
    sample.host.stop()

    page.get_by_role("button", name="Refresh").click()
    expect(load_error(page)).to_have_text(re.compile(r"^The API is unreachable\. Check your connection or whether the app is running\."))
    expect(load_error(page).get_by_role("button", name="Retry")).to_be_visible()
    expect(page.locator("#last-updated")).to_contain_text("update failed")
    expect(rows(page)).to_have_count(5)
    expect(stat(page, "total")).to_have_text("5")
    screenshot(page, "error-api-unreachable")

    rows(page).first.get_by_role("button", name=re.compile("^Details")).click()
    expect(page.locator("#details-body")).to_contain_text("Could not load this job. The API is unreachable.")


def test_signed_out_shows_a_sign_in_link_and_pauses_auto_refresh(platform_host: SampleHost, new_page, console) -> None:
    console.expect("status of 401 (Unauthorized)")
    sample = platform_host
    page = new_page(extra_http_headers=principal("ada@contoso.com", ["admin"]))
    open_jobs(page, sample.base_url)
    expect(rows(page)).to_have_count(5)
    auto = page.get_by_label("Auto-refresh (2 s)")
    auto.check()

    page.context.set_extra_http_headers({})  # the session ends
    page.get_by_role("button", name="Refresh").click()
    expect(load_error(page)).to_contain_text("You are not signed in, or your session has ended.")
    expect(load_error(page).get_by_role("link", name="Sign in")).to_have_attribute("href", SIGN_IN)
    expect(auto).not_to_be_checked()
    expect(rows(page)).to_have_count(5)


def test_signed_out_on_first_load_says_sign_in_instead_of_a_blank_page(platform_host: SampleHost, new_page, console) -> None:
    console.expect("status of 401 (Unauthorized)")
    sample = platform_host
    page = new_page(extra_http_headers=principal("ada@contoso.com", ["admin"]))

    def without_principal(route: Route) -> None:
        headers = {name: value for name, value in route.request.headers.items() if name != "x-ms-client-principal"}
        route.continue_(headers=headers)

    page.route(re.compile(r"/api/admin/jobs\?"), without_principal)  # the real API answers, to a caller it cannot identify
    page.goto(sample.base_url + "/admin/jobs")
    expect(page.locator("#jobs-body")).to_have_text("Sign in to see the jobs.")
    expect(load_error(page).get_by_role("link", name="Sign in")).to_have_attribute("href", SIGN_IN)
    expect(page.get_by_role("heading", name="AI Jobs")).to_be_visible()
    expect(stat(page, "total")).to_have_text("—")
    expect(page.locator("#last-updated")).to_have_text("Not loaded · update failed")


def test_forbidden_says_the_account_lacks_access(platform_host: SampleHost, new_page, console) -> None:
    console.expect("status of 403 (Forbidden)")
    sample = platform_host
    page = new_page(extra_http_headers=principal("ada@contoso.com", ["admin"]))
    open_jobs(page, sample.base_url)
    page.context.set_extra_http_headers(principal("bob@contoso.com", ["reader"]))
    page.get_by_role("button", name="Refresh").click()
    expect(load_error(page)).to_contain_text("You do not have access to the jobs API. Signed in as bob@contoso.com without the admin role")
    expect(rows(page)).to_have_count(5)
    screenshot(page, "error-forbidden")

    other = new_page(extra_http_headers=principal("bob@contoso.com", ["reader"]))
    response = other.goto(sample.base_url + "/admin/jobs")
    assert response is not None and response.status == 403
    expect(other.get_by_role("heading", name="Access denied")).to_be_visible()


def test_no_jobs_at_all_and_an_empty_filter_each_say_so(own_sample_host, new_page) -> None:
    sample = own_sample_host()
    page = new_page()
    open_jobs(page, sample.base_url)
    db = sqlite_database(sample.host.db_path)
    delete_jobs(db)
    db.close()

    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("#jobs-body")).to_have_text("No jobs yet. Jobs appear here when reports are requested.")
    expect(stat(page, "total")).to_have_text("0")
    expect(page.locator("#pagination")).to_be_empty()
    page.get_by_role("link", name=re.compile("^Failed")).click()
    expect(page.locator("#jobs-body")).to_have_text("No failed jobs.")
    wait_loaded(page)
    expect(load_error(page)).to_have_count(0)
