"""Platform mode in the local host, tried from outside: a viewer asking for the admin-only page in any
spelling, two principals sent at once, and a host that would believe forged principals from other
machines. Nobody gets more than their role, and the database is unchanged."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_static_site import OPS_SPELLINGS
from tests.support.host import NEVER, Host, run_host_until_exit, start_host

OPS_PAGE = b"<title>Operations"
ENQUEUE = json.dumps({"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-TWO", "iso_week": "2026-W31"}).encode()


def principal(*roles: str) -> str:
    data = {"identityProvider": "aad", "userId": roles[0], "userDetails": f"{roles[0]}@contoso.com", "userRoles": ["anonymous", "authenticated", *roles]}
    return base64.b64encode(json.dumps(data).encode()).decode()


ADMIN, VIEWER = principal("admin"), principal("viewer")


@pytest.fixture(scope="module")
def platform_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """The real app and site with AUTH_MODE=platform on loopback, as when testing behind a local proxy."""
    root = tmp_path_factory.mktemp("platform_host")
    host = start_host(root, {"AUTH_MODE": "platform", "STATIC_DIR": None, "WORKER_SCHEDULE": NEVER})
    yield host
    host.stop()


def get(host: Host, target: str, *principals: str) -> tuple[int, bytes]:
    """A GET on a raw socket, so the target and the headers reach the host exactly as written."""
    lines = "".join(f"x-ms-client-principal: {value}\r\n" for value in principals)
    answer = host.raw(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{host.port}\r\n{lines}Connection: close\r\n\r\n".encode())
    return int(answer.split(b" ", 2)[1]), answer


@pytest.mark.parametrize("spelling", OPS_SPELLINGS)
def test_no_spelling_of_the_operations_page_reaches_a_viewer(platform_host: Host, spelling: str) -> None:
    status, answer = get(platform_host, spelling, VIEWER)
    assert status in (400, 403), spelling  # 400: dot segments are refused outright
    assert OPS_PAGE not in answer
    if status == 403:
        assert b"Access denied" in answer  # the site's forbidden page


@pytest.mark.parametrize("spelling", ["/admin/ops", "/admin/ops.html", "/admin/ops.html/", "/admin//ops.html", "/admin/%6fps.html", "/ADMIN/OPS"])
def test_an_admin_opens_the_operations_page_in_any_spelling(platform_host: Host, spelling: str) -> None:
    status, answer = get(platform_host, spelling, ADMIN)
    assert status == 200 and OPS_PAGE in answer, spelling


def test_a_viewer_still_opens_the_jobs_page(platform_host: Host) -> None:
    for spelling in ("/admin/jobs", "/admin/jobs.html", "/admin//jobs/"):
        status, answer = get(platform_host, spelling, VIEWER)
        assert status == 200 and b"<title>AI Jobs" in answer, spelling


@pytest.mark.parametrize("pair", [(ADMIN, VIEWER), (VIEWER, ADMIN), (ADMIN, ADMIN)], ids=["admin+viewer", "viewer+admin", "admin+admin"])
def test_two_principal_headers_are_no_one(platform_host: Host, pair: tuple[str, str]) -> None:
    before = platform_host.database()
    lines = "".join(f"X-MS-Client-Principal: {value}\r\n" for value in pair).encode()
    head = f"Host: 127.0.0.1:{platform_host.port}\r\n".encode() + lines
    post = platform_host.raw(
        b"POST /api/admin/jobs HTTP/1.1\r\n"
        + head
        + b"Content-Type: application/json\r\nContent-Length: "
        + str(len(ENQUEUE)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + ENQUEUE
    )
    assert post.startswith(b"HTTP/1.1 401 ") and b'"code":"unauthorized"' in post
    read = platform_host.raw(b"GET /api/admin/jobs HTTP/1.1\r\n" + head + b"Connection: close\r\n\r\n")
    assert read.startswith(b"HTTP/1.1 401 ") and b'"jobs"' not in read
    status, page = get(platform_host, "/admin/ops", *pair)
    assert status == 302 and b"location: /.auth/login/" in page.lower()  # anonymous: sent to sign in
    me = platform_host.raw(b"GET /.auth/me HTTP/1.1\r\n" + head + b"Connection: close\r\n\r\n")
    assert me.endswith(b'{"clientPrincipal": null}')
    assert platform_host.database() == before


def test_one_header_joining_two_principals_is_401(platform_host: Host) -> None:
    before = platform_host.database()
    for joined in (f"{ADMIN}, {VIEWER}", f"{ADMIN}, junk", f"{ADMIN}junk"):
        reply = platform_host.request("POST", "/api/admin/jobs", body=json.loads(ENQUEUE), headers={"X-MS-Client-Principal": joined})
        assert reply.status == 401, joined
    assert platform_host.database() == before
    assert platform_host.request("GET", "/api/admin/jobs?limit=1", headers={"X-MS-Client-Principal": ADMIN}).status == 200  # the control


def test_platform_mode_refuses_to_listen_beyond_loopback_without_a_trusted_proxy(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "::"):
        code, output = run_host_until_exit(tmp_path, {"AUTH_MODE": "platform", "HOST": host})
        assert code == 2, output
        assert f"AUTH_MODE includes platform and HOST={host} accepts connections from other machines" in output
        assert "forged x-ms-client-principal" in output and "TRUSTED_PROXY=true" in output
        assert "Traceback" not in output


def test_a_trusted_proxy_lets_platform_mode_listen_on_every_interface(tmp_path: Path) -> None:
    host = start_host(tmp_path, {"AUTH_MODE": "platform", "HOST": "0.0.0.0", "TRUSTED_PROXY": "true", "WORKER_SCHEDULE": NEVER})
    try:
        assert host.request("GET", "/api/admin/jobs?limit=1", headers={"X-MS-Client-Principal": ADMIN}).status == 200
        assert host.request("GET", "/api/admin/jobs?limit=1").status == 401
    finally:
        host.stop()
