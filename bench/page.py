"""The admin page: its own JS + CSS bytes, API requests per auto-refresh (real headless Chromium), and
what an unchanged refresh costs on the wire (a conditional GET with the list's ETag)."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.app_env import APP_ROOT, AUTH_HEADERS, LocalHost

STATIC = APP_ROOT / "static_site"
THIRD_PARTY_DIRS = ("vendor",)  # not the page's own code
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
LIST_PATH = "/api/admin/jobs?page=1&limit=50"
# Same-origin JS and CSS the page loaded, by path, with their uncompressed sizes (Resource Timing).
LOADED_ASSETS_JS = """() => Object.fromEntries(performance.getEntriesByType("resource")
  .map((entry) => [new URL(entry.name), entry.decodedBodySize])
  .filter(([url]) => url.origin === location.origin && /[.](js|css)$/.test(url.pathname) && !url.pathname.startsWith("/vendor/"))
  .map(([url, size]) => [url.pathname, size]))"""


def own_asset_bytes() -> dict[str, int]:
    files = [path for path in STATIC.rglob("*") if path.suffix in (".js", ".css") and not set(path.relative_to(STATIC).parts) & set(THIRD_PARTY_DIRS)]
    return {str(path.relative_to(STATIC)): path.stat().st_size for path in sorted(files)}


@dataclass
class UnchangedRefresh:
    full_status: int
    full_bytes: int  # status line excluded: headers + body
    etag: str | None
    repeat_status: int
    repeat_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[int, int, dict[str, str]]:
    conn.request("GET", path, headers={**AUTH_HEADERS, **headers})
    response = conn.getresponse()
    body = response.read()
    header_bytes = sum(len(name) + len(value) + 4 for name, value in response.getheaders())
    return response.status, header_bytes + len(body), dict(response.getheaders())


def unchanged_refresh(host: LocalHost) -> UnchangedRefresh:
    target = urlsplit(host.base_url)
    conn = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=30)
    try:
        status, size, headers = _get(conn, LIST_PATH, {})
        etag = headers.get("ETag")
        repeat_status, repeat_size, _ = _get(conn, LIST_PATH, {"If-None-Match": etag} if etag else {})
    finally:
        conn.close()
    return UnchangedRefresh(status, size, etag, repeat_status, repeat_size)


@dataclass
class AutoRefresh:
    refreshes: int
    api_requests: int
    statuses: list[int] = field(default_factory=list)
    loaded_assets: dict[str, int] = field(default_factory=dict)  # own JS/CSS the page loaded: path -> bytes

    @property
    def requests_per_refresh(self) -> float:
        return self.api_requests / self.refreshes if self.refreshes else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "refreshes": self.refreshes,
            "api_requests": self.api_requests,
            "requests_per_refresh": self.requests_per_refresh,
            "statuses": self.statuses,
            "loaded_assets": self.loaded_assets,
        }


def auto_refresh(host: LocalHost, seconds: float) -> AutoRefresh:
    """Turn auto-refresh on and watch the API traffic; requests within 0.5 s of each other are one refresh."""
    from playwright.sync_api import sync_playwright

    started: list[float] = []
    statuses: list[int] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{host.base_url}/admin/jobs")
            page.wait_for_load_state("networkidle")
            loaded = page.evaluate(LOADED_ASSETS_JS)
            page.on("request", lambda request: started.append(time.monotonic()) if "/api/" in request.url else None)
            page.on("response", lambda response: statuses.append(response.status) if "/api/" in response.url else None)
            page.check("#auto-refresh")
            page.wait_for_timeout(seconds * 1000)
            page.uncheck("#auto-refresh")
            page.wait_for_load_state("networkidle")
        finally:
            browser.close()
    groups = 0
    last = -1.0
    for moment in started:
        if moment - last > 0.5:
            groups += 1
        last = moment
    return AutoRefresh(groups, len(started), statuses, loaded)


def page_costs(sqlite_path: Path, watch_seconds: float) -> dict[str, Any]:
    assets = own_asset_bytes()
    with LocalHost(sqlite_path) as host:
        unchanged = unchanged_refresh(host)
    with LocalHost(sqlite_path, AUTH_MODE="local") as host:
        refresh = auto_refresh(host, watch_seconds)
    return {"assets": assets, "asset_bytes": sum(assets.values()), "unchanged_refresh": unchanged, "auto_refresh": refresh}
