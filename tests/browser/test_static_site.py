"""The static site's files and config, read from disk: the guarantees the browser tests rely on."""

from __future__ import annotations

import json
import re

from bench.page import LOADED_ASSETS_JS
from tests.browser.host import REPO, LocalHost
from tests.browser.pages import open_jobs

SITE = REPO / "static_site"
CONFIG = json.loads((SITE / "staticwebapp.config.json").read_text())
PAGE_BUDGET_BYTES = 60 * 1024  # the Jobs Monitor's own JS + CSS on opening, so it cannot creep
IMPORTS = re.compile(r'(?:from |import\()"(\.{1,2}/[^"]+)"')  # static and dynamic, relative to the module


def test_csp_is_strict_and_the_security_headers_are_set() -> None:
    headers = CONFIG["globalHeaders"]
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]


def test_admin_pages_and_the_api_need_the_admin_or_viewer_role_and_signing_in_redirects() -> None:
    routes = {route["route"]: route for route in CONFIG["routes"]}
    for protected in ("/admin/jobs", "/admin/*", "/api/*"):
        # A viewer reads (the API refuses its writes with 403); VIEWER_ROLE must name the same role.
        assert routes[protected]["allowedRoles"] == ["admin", "viewer"]
    assert routes["/"]["redirect"] == "/admin/jobs"
    assert CONFIG["responseOverrides"]["401"]["redirect"].startswith("/.auth/login/aad?post_login_redirect_uri=")
    fallback = CONFIG["navigationFallback"]
    assert (SITE / fallback["rewrite"].lstrip("/")).is_file()
    assert {"/api/*", "/assets/*"} <= set(fallback["exclude"])
    for route in CONFIG["routes"]:
        if "rewrite" in route:
            assert (SITE / route["rewrite"].lstrip("/")).is_file(), route


def test_html_has_no_inline_script_style_or_handlers() -> None:
    for page in SITE.rglob("*.html"):
        html = page.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{page}: inline script"
        assert "<style" not in html and " style=" not in html, f"{page}: inline style"
        assert not re.search(r"\son[a-z]+=", html), f"{page}: inline event handler"
        assert "http://" not in html and "https://" not in html, f"{page}: another origin"


def test_scripts_never_parse_data_as_html_or_code_and_every_import_resolves() -> None:
    scripts = list((SITE / "assets" / "js").rglob("*.js"))
    for script in scripts:
        source = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "http://", "https://"):
            assert sink not in source, f"{script.name} uses {sink}"
        for target in IMPORTS.findall(source):
            assert (script.parent / target).is_file(), f"{script.name} imports missing {target}"


def test_the_jobs_monitor_loads_at_most_its_budget_of_its_own_js_and_css(demo_host: LocalHost, new_page) -> None:
    """What the first view downloads, measured as the benchmark does; the rest loads on first use."""
    page = new_page()
    open_jobs(page, demo_host.base_url)
    page.wait_for_load_state("networkidle")
    loaded: dict[str, int] = page.evaluate(LOADED_ASSETS_JS)
    assert {"/assets/js/main.js", "/assets/css/app.css"} <= loaded.keys()
    assert "/assets/js/schedules.js" not in loaded  # the collapsed panels' code waits for an opening
    total = sum(loaded.values())
    assert total <= PAGE_BUDGET_BYTES, f"{total} bytes: {sorted(loaded.items(), key=lambda item: -item[1])}"
