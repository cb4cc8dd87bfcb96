"""What local mode trusts and what it refuses, tried from outside as an attacker would: a web page
whose name is rebound to 127.0.0.1 (DNS rebinding), a client relayed by a proxy or tunnel, and a
cross-site page. Each gets neither data nor a change (the database is unchanged)."""

from __future__ import annotations

import pytest

from tests.local_host.conftest import EXTRA_HOST_NAME
from tests.support.host import Host

ENQUEUE = {"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-ATTACK", "iso_week": "2026-W30"}
REBOUND_NAMES = ["rebind.attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "0.0.0.0", "127.0.0.2", "localhost."]
FORWARDED = [
    {"X-Forwarded-For": "203.0.113.7"},
    {"X-Forwarded-For": "127.0.0.1"},  # a relay's word for where the client is counts for nothing
    {"Forwarded": "for=203.0.113.7;proto=https"},
    {"X-Real-IP": "203.0.113.7"},
    {"Via": "1.1 dev-tunnel"},
]


def writes(host: Host) -> list[tuple[str, str, dict[str, object]]]:
    """Every state change a page could try: enqueue, cancel a queued job, and run the worker."""
    queued = host.request("GET", "/api/admin/jobs?status=queued&limit=1").json()["jobs"][0]["job_id"]
    return [
        ("POST", "/api/admin/jobs", ENQUEUE),
        ("POST", "/api/admin/jobs", {"action": "cancel_job", "job_id": queued}),
        ("POST", "/api/exec/worker/run", {}),
    ]


@pytest.mark.parametrize("name", REBOUND_NAMES)
def test_a_rebound_page_gets_421_for_data_pages_and_changes(local_host: Host, name: str) -> None:
    rebound = f"{name}:{local_host.port}"
    before = local_host.database()
    for method, path, body in [("GET", "/api/admin/jobs", None), ("GET", "/admin/jobs", None), ("GET", "/.auth/me", None), *writes(local_host)]:
        # The page is same-origin with itself, so its Origin matches its Host.
        reply = local_host.request(method, path, body=body, headers={"Host": rebound, "Origin": f"http://{rebound}"})
        assert reply.status == 421, (name, method, path)
        assert b'"jobs"' not in reply.body and b"clientPrincipal" not in reply.body and b"jobs-table" not in reply.body
        assert "LOCAL_ALLOWED_HOSTS" in reply.body.decode()
    assert local_host.database() == before


@pytest.mark.parametrize("host_header", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}", "localhost", EXTRA_HOST_NAME + ":{port}"])
def test_the_loopback_names_and_the_listed_ones_are_answered(local_host: Host, host_header: str) -> None:
    reply = local_host.request("GET", "/api/admin/jobs?limit=1", headers={"Host": host_header.format(port=local_host.port)})
    assert reply.status == 200
    assert reply.json()["ok"] is True


def test_an_http_1_0_request_without_host_is_this_machine(local_host: Host) -> None:
    answer = local_host.raw(b"GET /api/admin/jobs?limit=1 HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")


@pytest.mark.parametrize("relayed", FORWARDED, ids=lambda headers: next(iter(headers)))
def test_a_relayed_loopback_client_is_not_the_local_admin(local_host: Host, relayed: dict[str, str]) -> None:
    before = local_host.database()
    read = local_host.request("GET", "/api/admin/jobs", headers=relayed)
    assert read.status == 401 and read.json()["code"] == "unauthorized"
    for method, path, body in writes(local_host):
        reply = local_host.request(method, path, body=body, headers=relayed)
        assert reply.status == 401, (method, path)
    assert local_host.request("GET", "/.auth/me", headers=relayed).json() == {"clientPrincipal": None}
    page = local_host.request("GET", "/admin/jobs", headers=relayed)
    assert page.status == 302 and page.headers["location"].startswith("/.auth/login/")
    assert local_host.database() == before


def test_the_local_admin_itself_still_reads_and_acts(local_host: Host) -> None:
    """The control for the refusals above: the same calls without the attack succeed."""
    assert local_host.request("GET", "/.auth/me").json()["clientPrincipal"]["userId"] == "local-admin"
    assert local_host.request("GET", "/admin/jobs").status == 200
    origin = f"http://127.0.0.1:{local_host.port}"
    created = local_host.request("POST", "/api/admin/jobs", body={**ENQUEUE, "scope_key": "NET-OWN"}, headers={"Origin": origin})
    assert created.status == 201


@pytest.mark.parametrize("origin", ["https://127.0.0.1:{port}", "http://127.0.0.1:1", "http://127.0.0.1", "http://evil.example", "null"])
def test_a_cross_origin_page_cannot_change_anything(local_host: Host, origin: str) -> None:
    """Scheme, host and port must all be this host's; a page on another port of this machine is another site."""
    before = local_host.database()
    for method, path, body in writes(local_host):
        reply = local_host.request(method, path, body=body, headers={"Origin": origin.format(port=local_host.port)})
        assert reply.status == 403 and reply.json()["code"] == "cross_origin", (origin, path)
    assert local_host.database() == before


def test_a_forwarded_host_cannot_vouch_for_a_cross_site_origin(local_host: Host) -> None:
    before = local_host.database()
    reply = local_host.request("POST", "/api/admin/jobs", body=ENQUEUE, headers={"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"})
    assert reply.status in (401, 403)
    assert local_host.database() == before
