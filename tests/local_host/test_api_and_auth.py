"""The real app's API through the local host in local mode, the /.auth emulation, and bad input."""

from __future__ import annotations

import pytest

from tests.support.host import Host, wait_for


def test_the_admin_api_answers_a_loopback_client_in_local_mode(site_host: Host) -> None:
    reply = site_host.request("GET", "/api/admin/jobs?limit=5&status=succeeded")
    assert reply.status == 200
    data = reply.json()
    assert data["ok"] is True
    assert data["stats"]["total"] == 300  # the demo seed filled the empty database
    assert len(data["jobs"]) == 5
    assert {job["status"] for job in data["jobs"]} == {"succeeded"}


def test_a_post_reaches_the_function_with_its_json_body(site_host: Host) -> None:
    body = {"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-UKI", "iso_week": "2026-W41"}
    reply = site_host.request("POST", "/api/admin/jobs", body=body)
    assert reply.status == 201
    job = reply.json()["job"]
    assert (job["scope_key"], job["iso_week"], job["created_by"]) == ("NET-UKI", "2026-W41", "local-admin")
    detail = site_host.request("GET", f"/api/admin/jobs?job_id={job['job_id']}")
    assert detail.json()["job"]["job_id"] == job["job_id"]


def test_an_unknown_api_route_is_a_404_json_error(site_host: Host) -> None:
    reply = site_host.request("GET", "/api/admin/nothing-here")
    assert reply.status == 404
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json() == {"ok": False, "error": "No API route matches /api/admin/nothing-here", "code": "not_found"}


def test_a_trigger_that_refuses_a_method_answers_405_with_allow(site_host: Host) -> None:
    reply = site_host.request("DELETE", "/api/exec/worker/run")
    assert reply.status == 405
    assert reply.headers["allow"] == "POST"
    assert reply.json()["code"] == "method_not_allowed"


def test_a_body_over_the_limit_is_refused_before_it_is_sent(site_host: Host) -> None:
    # Only the headers go out: the 413 can only arrive if the host decides from Content-Length alone.
    answer = site_host.raw(b"POST /api/admin/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"code":"body_too_large"' in answer


def test_auth_me_names_the_local_admin(site_host: Host) -> None:
    principal = site_host.request("GET", "/.auth/me").json()["clientPrincipal"]
    assert principal["identityProvider"] == "local"
    assert set(principal["userRoles"]) == {"anonymous", "authenticated", "admin"}


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(site_host: Host) -> None:
    cases = {
        "/.auth/login/aad": "/admin/jobs",
        "/.auth/login/aad?post_login_redirect_uri=/admin/jobs%3Fstatus%3Dfailed": "/admin/jobs?status=failed",
        "/.auth/login/github?post_login_redirect_uri=https://evil.example/phish": "/admin/jobs",
        "/.auth/login/aad?post_login_redirect_uri=//evil.example/phish": "/admin/jobs",
        f"/.auth/login/aad?post_login_redirect_uri={site_host.base_url}/admin/jobs%3Fpage%3D2": "/admin/jobs?page=2",
        "/.auth/logout": "/",
    }
    for path, location in cases.items():
        reply = site_host.request("GET", path)
        assert reply.status == 302, path
        assert reply.headers["location"] == location, path


def test_login_after_a_401_goes_back_to_the_referring_page(site_host: Host) -> None:
    reply = site_host.request(
        "GET",
        "/.auth/login/aad?post_login_redirect_uri=.referrer",
        headers={"Referer": f"{site_host.base_url}/admin/jobs?page=3"},
    )
    assert reply.status == 302
    assert reply.headers["location"] == "/admin/jobs?page=3"


def test_each_request_is_logged_once_with_method_path_status_and_time(site_host: Host) -> None:
    site_host.request("GET", "/api/admin/jobs?limit=1&marker=log-check")
    site_host.request("GET", "/api/no-such-route-log-check")
    for expected in ("GET /api/no-such-route-log-check 404 ", "GET /api/admin/jobs 200 "):
        lines = wait_for(lambda expected=expected: [line for line in site_host.log_lines if expected in line], 5, expected, site_host)
        assert lines[-1].endswith(" ms")
    assert "marker" not in site_host.log()  # query strings (they may carry tokens) stay out of the log


@pytest.mark.parametrize(
    "target",
    [
        "/admin%E2%80%A8jobs",
        "/admin/jobs%E3%80%80",
        "/admin%0D%0ASet-Cookie:%20stolen=1",
        "/admin%00",
        "/admin/jobs?q=%C3%A9",
        "/a%20b",
        "/a%zz",
    ],
)
def test_a_return_address_that_is_not_a_uri_gets_a_400_page_not_a_dropped_connection(site_host: Host, target: str) -> None:
    for asked in (f"/.auth/login/aad?post_login_redirect_uri={target}", f"/.auth/logout?post_logout_redirect_uri={target}"):
        answer = site_host.raw(f"GET {asked} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 400 "), asked
        assert b"location:" not in answer.lower() and b"set-cookie" not in answer.lower()
        assert b"Bad redirect target" in answer


def test_a_referrer_that_is_not_a_uri_gets_a_400_page(site_host: Host) -> None:
    answer = site_host.raw(
        b"GET /.auth/login/aad?post_login_redirect_uri=.referrer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Referer: http://127.0.0.1/admin/\xe2\x80\xa8jobs\r\nConnection: close\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_a_percent_encoded_return_address_is_kept_as_sent(site_host: Host) -> None:
    reply = site_host.request("GET", "/.auth/login/aad?post_login_redirect_uri=/admin/jobs%3Fq%3D%25E2%2580%25A8")
    assert reply.status == 302
    assert reply.headers["location"] == "/admin/jobs?q=%E2%80%A8"
