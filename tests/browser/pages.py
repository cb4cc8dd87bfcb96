"""What the tests do to the jobs page, in the user's terms: open it, find a row, hide the tab."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, Request, expect

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


@dataclass
class ListRequests:
    """The page's list requests as the network sees them: how many, and how many at once at most."""

    started: int = 0
    finished: int = 0
    in_flight: int = 0
    max_in_flight: int = 0

    def attach(self, page: Page) -> ListRequests:
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)
        return self

    def _start(self, request: Request) -> None:
        if LIST_PATH in request.url and request.method == "GET" and "job_id=" not in request.url:
            self.started += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _end(self, request: Request) -> None:
        if LIST_PATH in request.url and request.method == "GET" and "job_id=" not in request.url:
            self.finished += 1
            self.in_flight -= 1

    def wait_settled(self, page: Page, started: int) -> None:
        """Wait until exactly `started` list requests have been sent and all have finished."""
        for _ in range(200):
            if self.started >= started and self.in_flight == 0:
                break
            page.wait_for_timeout(25)
        assert (self.started, self.in_flight) == (started, 0)
