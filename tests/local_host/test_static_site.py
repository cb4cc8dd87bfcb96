"""staticwebapp.config.json, applied by the local host to a site the test writes (every feature)."""

from __future__ import annotations

from tests.local_host.conftest import SECRET
from tests.support.host import Host


def test_a_route_redirect_carries_the_global_headers(site_host: Host) -> None:
    reply = site_host.request("GET", "/")
    assert reply.status == 301
    assert reply.headers["location"] == "/admin/jobs"
    assert reply.headers["content-security-policy"] == "default-src 'self'"
    assert reply.headers["x-frame-options"] == "DENY"


def test_a_rewrite_serves_its_file_to_the_local_admin_in_any_case(site_host: Host) -> None:
    for path in ("/admin/jobs", "/ADMIN/Jobs", "/admin/jobs/"):
        reply = site_host.request("GET", path)
        assert reply.status == 200, path
        assert reply.body == b"<h1>jobs page</h1>"
        assert reply.headers["content-type"] == "text/html; charset=utf-8"
        assert reply.headers["content-security-policy"] == "default-src 'self'"


def test_head_sends_the_headers_without_the_body(site_host: Host) -> None:
    reply = site_host.request("HEAD", "/admin/jobs")
    assert reply.status == 200
    assert reply.body == b""
    assert reply.headers["content-length"] == str(len(b"<h1>jobs page</h1>"))


def test_a_role_the_local_admin_lacks_gets_the_403_override(site_host: Host) -> None:
    reply = site_host.request("GET", "/admin/secret/")
    assert reply.status == 403
    assert reply.body == b"<h1>custom forbidden</h1>"


def test_route_headers_override_global_ones_and_an_empty_value_removes_one(site_host: Host) -> None:
    reply = site_host.request("GET", "/assets/app.js")
    assert reply.status == 200
    assert reply.body == b"console.log('app');"
    assert reply.headers["cache-control"] == "public, max-age=60"
    assert "x-frame-options" not in reply.headers
    assert reply.headers["content-security-policy"] == "default-src 'self'"
    assert "javascript" in reply.headers["content-type"]


def test_mime_types_from_the_config(site_host: Host) -> None:
    reply = site_host.request("GET", "/assets/data.weird")
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/x-weird"


def test_wildcard_redirect_with_its_status_code(site_host: Host) -> None:
    reply = site_host.request("GET", "/old-docs/any/thing")
    assert reply.status == 308
    assert reply.headers["location"] == "/docs/guide.html"


def test_a_route_status_code_uses_the_404_override(site_host: Host) -> None:
    reply = site_host.request("GET", "/gone")
    assert reply.status == 404
    assert reply.body == b"<h1>custom not found</h1>"


def test_a_rule_with_methods_matches_only_those_methods(site_host: Host) -> None:
    posted = site_host.request("POST", "/submit", body={})
    assert posted.status == 302
    assert posted.headers["location"] == "/docs/guide.html"
    fetched = site_host.request("GET", "/submit")
    assert fetched.status == 200
    assert fetched.body == b"<h1>app shell</h1>"  # no rule matched GET: navigation fallback


def test_navigation_fallback_serves_the_app_shell_for_client_routes(site_host: Host) -> None:
    reply = site_host.request("GET", "/reports/2026/week-40")
    assert reply.status == 200
    assert reply.body == b"<h1>app shell</h1>"
    assert reply.headers["x-frame-options"] == "DENY"


def test_excluded_paths_get_the_404_not_the_fallback(site_host: Host) -> None:
    for path in ("/assets/missing.js", "/styles/missing.css", "/img/missing.png"):
        reply = site_host.request("GET", path)
        assert reply.status == 404, path
        assert reply.body == b"<h1>custom not found</h1>"


def test_pages_cannot_be_posted_to(site_host: Host) -> None:
    reply = site_host.request("POST", "/docs/guide.html", body={})
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, HEAD"


def test_the_config_file_and_links_out_of_the_site_are_never_served(site_host: Host) -> None:
    for path in ("/staticwebapp.config.json", "/leak.txt", "/leakdir/secret.txt"):
        reply = site_host.request("GET", path)
        assert b"navigationFallback" not in reply.body, path
        assert SECRET.encode() not in reply.body, path
