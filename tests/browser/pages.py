"""What the tests do to the jobs page, in the user's terms: open it, find a row, hide the tab."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

LIST_PATH = "/api/admin/jobs?"


def open_jobs(page: Page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/admin/jobs{query}")
    wait_loaded(page)


def wait_loaded(page: Page) -> None:
    expect(page.locator("#last-updated")).to_contain_text("Last updated")


def rows(page: Page) -> Locator:
    return page.locator("#jobs-body tr[data-job-id]")


def row(page: Page, job_id: str) -> Locator:
    return page.locator(f'#jobs-body tr[data-job-id="{job_id}"]')


def stat(page: Page, key: str) -> Locator:
    return page.locator(f'[data-stat="{key}"] .stat__value')


def set_tab_hidden(page: Page, hidden: bool) -> None:
    """Emulate switching tabs: document.hidden and visibilityState change, then visibilitychange fires."""
    page.evaluate(
        """hidden => {
            Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
            Object.defineProperty(document, "visibilityState", { configurable: true, get: () => hidden ? "hidden" : "visible" });
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        hidden,
    )


def principal(name: str, roles: list[str]) -> dict[str, str]:
    """The header Static Web Apps adds for a signed-in user."""
    body = {"identityProvider": "aad", "userId": name, "userDetails": name, "userRoles": ["anonymous", "authenticated", *roles]}
    return {"x-ms-client-principal": base64.b64encode(json.dumps(body).encode()).decode()}


# Counts the page's list requests from the call to fetch() until their JSON has been read (or a
# bodiless 304 arrived). Network
# events cannot show this: Chromium may report one response finished after the page, having read
# it, already sent the next request.
COUNT_LIST_REQUESTS = """(() => {
    const stats = { started: 0, inFlight: 0, maxInFlight: 0 };
    window.__listRequests = stats;
    const realFetch = window.fetch.bind(window);
    window.fetch = async (input, init = {}) => {
        const url = String(input instanceof Request ? input.url : input);
        if (!url.includes("/api/admin/jobs?") || url.includes("job_id=") || (init.method || "GET") !== "GET") return realFetch(input, init);
        stats.started += 1;
        stats.inFlight += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        const done = () => { stats.inFlight -= 1; };
        let response;
        try {
            response = await realFetch(input, init);
        } catch (error) {
            done();
            throw error;
        }
        if (response.status === 304 || !response.body) {
            done();
            return response;
        }
        const readJson = response.json.bind(response);
        response.json = () => readJson().finally(done);
        return response;
    };
})()"""


@dataclass
class ListRequests:
    """How many list requests the page sent, and how many were ever in flight at once."""

    page: Page

    @classmethod
    def attach(cls, page: Page) -> ListRequests:
        page.add_init_script(COUNT_LIST_REQUESTS)
        return cls(page)

    @property
    def max_in_flight(self) -> int:
        return self.page.evaluate("window.__listRequests.maxInFlight")

    def wait_settled(self, started: int) -> None:
        """Wait until exactly `started` list requests have been sent and all have been read.

        Polled from here: the page's timers and animation frames belong to the fake clock.
        """
        state = {}
        for _ in range(400):
            state = self.page.evaluate("window.__listRequests || {}")
            if state.get("started", 0) >= started and state.get("inFlight") == 0:
                break
            self.page.wait_for_timeout(25)
        assert (state.get("started"), state.get("inFlight")) == (started, 0)
