"""Real headless Chromium against the real local host; every page fails its test on a console error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from shared.clock import utc_now
from shared.jobs.models import Job
from tests.browser.data import sample_jobs
from tests.conftest import sqlite_database
from tests.support.host import NEVER, REPO, Host, start_host

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "tests" / "artifacts"
DEFAULT_TIMEOUT_MS = 10_000
# The page's host: a loopback admin in local mode, the offline generator, and no timer pass.
PAGE_HOST_ENV = {"AUTH_MODE": "local", "WORKER_SCHEDULE": NEVER, "REPORT_GENERATOR": "offline"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing; `make system-deps` installs Debian's chromium")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def start_page_host(workdir: Path, db_path: Path | None = None, **env: str) -> Host:
    """A host for the page; demo data is seeded only when it creates the database, so a prepared one stays as it is."""
    return start_host(workdir, {**PAGE_HOST_ENV, **({"SQLITE_PATH": str(db_path)} if db_path else {}), **env})


@pytest.fixture(scope="session")
def demo_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """One host for the read-mostly tests, with the demo data it seeds into an empty database."""
    host = start_page_host(tmp_path_factory.mktemp("demo_host"))
    yield host
    host.stop()


@dataclass
class SampleHost:
    host: Host
    jobs: dict[str, Job]  # one per status, see data.sample_jobs

    @property
    def base_url(self) -> str:
        return self.host.base_url


def start_sample_host(workdir: Path, **env: str) -> SampleHost:
    """A host over a database holding only the sample jobs (a database with jobs is not seeded)."""
    path = workdir / "jobs.sqlite3"
    db = sqlite_database(path)
    jobs = sample_jobs(db, utc_now())
    db.close()
    return SampleHost(start_page_host(workdir, path, **env), jobs)


@pytest.fixture(scope="session")
def sample_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleHost]:
    """Shared by the read-only tests."""
    sample = start_sample_host(tmp_path_factory.mktemp("sample_host"))
    yield sample
    sample.host.stop()


@pytest.fixture
def own_sample_host(tmp_path: Path) -> Iterator[Callable[..., SampleHost]]:
    """A sample host of the test's own, for tests that change jobs or stop the host."""
    started: list[SampleHost] = []

    def start(**env: str) -> SampleHost:
        sample = start_sample_host(tmp_path, **env)
        started.append(sample)
        return sample

    yield start
    for sample in started:
        sample.host.stop()


@dataclass
class Console:
    """What the page logged as errors; tests that provoke failures name the messages they expect."""

    errors: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)

    def expect(self, fragment: str) -> None:
        self.expected.append(fragment)

    def unexpected(self) -> list[str]:
        return [error for error in self.errors if not any(fragment in error for fragment in self.expected)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def new_page(browser: Browser, console: Console) -> Iterator[Callable[..., Page]]:
    contexts: list[BrowserContext] = []

    def open_page(**context_options: object) -> Page:
        context = browser.new_context(**{"locale": "en-US", "timezone_id": "UTC", **context_options})  # type: ignore[arg-type]
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page.on("console", lambda message: _record(console, message))
        page.on("pageerror", lambda error: console.errors.append(f"pageerror: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert console.unexpected() == [], "the browser console logged errors"


def _record(console: Console, message: ConsoleMessage) -> None:
    if message.type in ("error", "warning"):
        console.errors.append(f"{message.type}: {message.text}")


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
