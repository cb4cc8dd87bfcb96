"""The static site's files and config, read from disk: the guarantees the browser tests rely on."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest

from bench.page import LOADED_ASSETS_JS
from local_host.swa_config import parse_config
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
    for protected in ("/admin/jobs*", "/api/*"):
        # A viewer reads (the API refuses its writes with 403); VIEWER_ROLE must name the same role.
        assert routes[protected]["allowedRoles"] == ["admin", "viewer"]
    for admin_only in ("/admin/ops*", "/admin/*"):  # anything else under /admin/, new pages included
        assert routes[admin_only]["allowedRoles"] == ["admin"]
    assert routes["/"]["redirect"] == "/admin/jobs"
    assert CONFIG["responseOverrides"]["401"]["redirect"].startswith("/.auth/login/aad?post_login_redirect_uri=")
    fallback = CONFIG["navigationFallback"]
    assert (SITE / fallback["rewrite"].lstrip("/")).is_file()
    assert {"/api/*", "/assets/*"} <= set(fallback["exclude"])
    for route in CONFIG["routes"]:
        if "rewrite" in route:
            assert (SITE / route["rewrite"].lstrip("/")).is_file(), route


# Ways to ask for the admin-only Operations page (tests/local_host sends them to the local host too).
OPS_SPELLINGS = [
    "/admin/ops",
    "/admin/ops/",
    "/admin/ops.html",
    "/admin/ops.html/",
    "/admin//ops.html",
    "/admin//ops",
    "//admin/ops.html",
    "/admin/%6fps.html",
    "/admin/%6Fps",
    "/ADMIN/OPS.HTML",
    "/Admin/Ops",
    "/admin/ops.htm",
    "/admin/ops/anything",
    "/admin/./ops.html",
    "/admin/x/../ops.html",
    "/admin/jobs/../ops.html",
    "/admin/ops%2ehtml",
    "/admin/ops.html%20",
]


@pytest.mark.parametrize("spelling", OPS_SPELLINGS)
def test_no_spelling_of_an_admin_only_page_is_served_to_a_viewer(spelling: str) -> None:
    """Static Web Apps picks the first rule whose route fits, ignoring case (local_host.swa_config does the same).
    The rule a spelling meets, decoded and with its slashes collapsed (as the local host matches it), either
    needs the admin role or rewrites to a page viewers may see, so ops.html never reaches a viewer. So does
    the rule it meets as sent, if the platform matched before normalising, wherever it starts with /admin/."""
    rules = parse_config(CONFIG)
    normalised = re.sub("/+", "/", unquote(spelling))
    for seen_as in {normalised, *([spelling] if spelling.lower().startswith("/admin/") else [])}:
        rule = rules.match_route(seen_as, "GET")
        assert rule is not None and rule.allowed_roles is not None, seen_as
        assert "viewer" not in rule.allowed_roles or rule.rewrite == "/admin/jobs.html", (seen_as, rule.route)


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


NAMED_IMPORT = re.compile(r'import \{([^}]+)\} from "(\.{1,2}/[^"]+)"')
EXPORTED = re.compile(r"export (?:async )?(?:function|const|let|class) ([A-Za-z_$][\w$]*)")


def test_every_named_import_is_exported_by_its_module() -> None:
    """A module that no longer exports a name breaks its importer at load time (a blank panel)."""
    for script in (SITE / "assets" / "js").rglob("*.js"):
        for names, target in NAMED_IMPORT.findall(script.read_text()):
            exported = set(EXPORTED.findall((script.parent / target).resolve().read_text()))
            for name in (part.split(" as ")[0].strip() for part in names.split(",")):
                assert name in exported, f"{script.relative_to(SITE)} imports {name} from {target}, which does not export it"


def test_each_page_has_one_entry_module_and_one_api_client_that_alone_names_api_urls() -> None:
    """Parts are wired by their page's entry through calls: no document-wide events, no DOM watching."""
    for page in (SITE / "admin").glob("*.html"):
        entries = re.findall(r'<script type="module" src="([^"]+)"', page.read_text())
        assert len(entries) == 1, f"{page.name}: {entries}"
    for script in (SITE / "assets" / "js").rglob("*.js"):
        code = "\n".join(line for line in script.read_text().splitlines() if not line.lstrip().startswith(("//", "/*", "*")))
        if script.name != "api.js":
            assert "/api/" not in code and "fetch(" not in code, f"{script.name} calls the API itself"
        for coupling in ("dispatchEvent", "CustomEvent", "MutationObserver"):
            assert coupling not in code, f"{script.name} uses {coupling}"


def test_the_bulk_bar_states_the_api_clients_cap() -> None:
    """The bar's markup is in jobs.html; its "up to N" must be the cap api.js sends."""
    cap = int(re.search(r"BULK_CAP = (\d+)", (SITE / "assets" / "js" / "api.js").read_text()).group(1))
    assert f"up to {cap:,}" in (SITE / "admin" / "jobs.html").read_text()


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
