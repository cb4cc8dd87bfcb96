"""Fail closed: no admin data or action without a configured, checked identity."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from shared.app_context import reset_context
from shared.auth import local
from tests.api.conftest import TOKEN, call, principal

ENQUEUE = {"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1", "iso_week": "2026-W01"}


def encoded(data: object) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.fixture
def mode(app_db_path: Path, monkeypatch: pytest.MonkeyPatch):
    def set_mode(value: str) -> None:
        monkeypatch.setenv("AUTH_MODE", value)
        reset_context()

    return set_mode


@pytest.mark.parametrize(
    ("name", "method", "route"),
    [
        ("admin_jobs", "GET", "admin/jobs"),
        ("admin_jobs", "POST", "admin/jobs"),
        ("worker_run_now", "POST", "exec/worker/run"),
    ],
)
def test_no_auth_mode_means_401_that_says_what_to_configure(mode, name: str, method: str, route: str) -> None:
    mode("")
    reply = call(name, method, headers={"Authorization": f"Bearer {TOKEN}", **principal(["admin"])}, body=ENQUEUE, route=route)
    assert reply.status == 401 and reply.body["code"] == "auth_not_configured"
    assert "AUTH_MODE" in reply.body["error"]


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", f"bearer {TOKEN[:-1]}", "Bearer " + "t" * 39])
def test_a_wrong_token_is_401(mode, header: str) -> None:
    mode("token")
    reply = call("admin_jobs", headers={"Authorization": header})
    assert reply.status == 401 and reply.body["code"] == "unauthorized"


def test_the_right_token_reads_and_acts(mode) -> None:
    mode("token")
    assert call("admin_jobs", headers={"Authorization": f"Bearer {TOKEN}"}).status == 200
    assert call("admin_jobs", "POST", headers={"Authorization": f"Bearer {TOKEN}"}, body=ENQUEUE).status == 201


def test_a_token_is_refused_when_token_mode_is_off(mode) -> None:
    mode("platform")
    assert call("admin_jobs", headers={"Authorization": f"Bearer {TOKEN}"}).status == 401


def test_platform_admin_reads_and_acts_viewer_only_reads(mode) -> None:
    mode("platform")
    assert call("admin_jobs", headers=principal(["admin"])).status == 200
    assert call("admin_jobs", "POST", headers=principal(["admin"]), body=ENQUEUE).status == 201
    assert call("admin_jobs", headers=principal(["viewer"])).status == 200
    refused = call("admin_jobs", "POST", headers=principal(["viewer"], "val@contoso.com"), body=ENQUEUE)
    assert refused.status == 403 and "read-only" in refused.body["error"]


def test_a_signed_in_user_without_the_role_is_403(mode) -> None:
    mode("platform")
    reply = call("admin_jobs", headers=principal([]))
    assert reply.status == 403 and reply.body["code"] == "forbidden"


def test_the_admin_role_name_is_configurable(mode, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_ROLE", "jobs-admin")
    mode("platform")
    assert call("admin_jobs", headers=principal(["admin"])).status == 403
    assert call("admin_jobs", headers=principal(["jobs-admin"])).status == 200


def test_app_service_claims_form_is_understood(mode) -> None:
    mode("platform")
    easy_auth = {"auth_typ": "aad", "name_typ": "name", "role_typ": "roles", "claims": [{"typ": "name", "val": "Lin"}, {"typ": "roles", "val": "admin"}]}
    reply = call("admin_jobs", "POST", headers={"x-ms-client-principal": encoded(easy_auth)}, body=ENQUEUE)
    assert reply.status == 201 and reply.body["job"]["created_by"] == "Lin"
    no_role = {**easy_auth, "claims": [{"typ": "name", "val": "Lin"}]}
    assert call("admin_jobs", headers={"x-ms-client-principal": encoded(no_role)}).status == 403


@pytest.mark.parametrize(
    "garbled",
    [
        "%%%not base64%%%",
        base64.b64encode(b"not json").decode(),
        encoded([1, 2]),
        encoded({"userRoles": "admin"}),
        encoded({"claims": "admin"}),
        encoded({"hello": "world"}),
        "A" * 20000,
    ],
)
def test_garbled_principals_are_401(mode, garbled: str) -> None:
    mode("platform")
    reply = call("admin_jobs", headers={"x-ms-client-principal": garbled})
    assert reply.status == 401 and reply.body["code"] == "unauthorized"


def test_a_principal_is_ignored_unless_platform_mode_says_the_platform_strips_forgeries(mode) -> None:
    mode("token")
    assert call("admin_jobs", headers=principal(["admin"])).status == 401


def visible_state() -> dict[str, object]:
    """What a change would show: every job and every audit entry, read by the token admin."""
    listed = call("admin_jobs", headers={"Authorization": f"Bearer {TOKEN}"}, params={"limit": "200"}).body
    audit = call("admin_audit", headers={"Authorization": f"Bearer {TOKEN}"}, route="admin/audit").body
    return {"jobs": listed["jobs"], "stats": listed["stats"], "audit": audit}


def principals(*roles: list[str]) -> list[str]:
    return [principal(role_list)["x-ms-client-principal"] for role_list in roles]


ADMIN, VIEWER = principals(["admin"], ["viewer"])


@pytest.mark.parametrize(
    "forged",
    [
        f"{ADMIN}, {VIEWER}",  # two headers, as a host joins them
        f"{VIEWER}, {ADMIN}",
        f"{ADMIN}, junk",
        f"{ADMIN},{ADMIN}",
        f"{ADMIN}junk",
        f"{ADMIN} {ADMIN}",
        ADMIN.rstrip("="),  # padding left off
        ADMIN[:-2] + "%%",
        "\u00e9" + ADMIN,
        base64.urlsafe_b64encode(base64.b64decode(ADMIN)).decode() + "-_",
        encoded({"userRoles": ["viewer"], "userDetails": "val"})[:-4] + "====",
        base64.b64encode(b'{"userRoles": ["viewer"], "userRoles": ["admin"]}').decode(),  # a duplicate key
    ],
    ids=range(12),
)
def test_anything_but_one_strict_principal_is_401_and_changes_nothing(mode, forged: str) -> None:
    mode("token,platform")
    before = visible_state()
    assert call("admin_jobs", headers={"x-ms-client-principal": forged}).status == 401
    reply = call("admin_jobs", "POST", headers={"x-ms-client-principal": forged}, body=ENQUEUE)
    assert reply.status == 401 and reply.body["code"] == "unauthorized"
    assert call("worker_run_now", "POST", headers={"x-ms-client-principal": forged}, body={}, route="exec/worker/run").status == 401
    assert visible_state() == before


def test_a_principal_with_surrounding_whitespace_is_still_the_platforms(mode) -> None:
    mode("platform")
    assert call("admin_jobs", headers={"x-ms-client-principal": f" {VIEWER}\t"}).status == 200


@pytest.mark.parametrize(
    "origin",
    [
        "https://localhost:7071",  # another scheme
        "http://localhost:7072",
        "http://localhost",
        "http://localhost:80",  # another port
        "http://evil.example",
        "http://localhost.evil.example:7071",
        "null",
        "",
        "http://localhost:7071/path",
        "localhost:7071",
    ],
)
def test_an_origin_must_match_scheme_host_and_port(mode, origin: str) -> None:
    mode("token")
    before = visible_state()
    reply = call("admin_jobs", "POST", headers={"Authorization": f"Bearer {TOKEN}", "Origin": origin}, body=ENQUEUE)
    assert reply.status == 403 and reply.body["code"] == "cross_origin"
    assert visible_state() == before


@pytest.mark.parametrize("origin", ["http://localhost:7071", "HTTP://LocalHost:7071"])
def test_the_requests_own_origin_in_any_case_may_write(mode, origin: str) -> None:
    mode("token")
    reply = call("admin_jobs", "POST", headers={"Authorization": f"Bearer {TOKEN}", "Origin": origin}, body=ENQUEUE)
    assert reply.status == 201


def test_forwarded_host_and_proto_count_only_behind_a_trusted_proxy(mode, monkeypatch: pytest.MonkeyPatch) -> None:
    forwarded = {
        "Authorization": f"Bearer {TOKEN}",
        "Origin": "https://admin.example.com",
        "X-Forwarded-Host": "admin.example.com",
        "X-Forwarded-Proto": "https",
    }
    mode("token")
    before = visible_state()
    assert call("admin_jobs", "POST", headers=forwarded, body=ENQUEUE).status == 403  # any client can send these
    assert visible_state() == before
    monkeypatch.setenv("TRUSTED_PROXY", "true")
    mode("token")
    assert call("admin_jobs", "POST", headers={**forwarded, "X-Forwarded-Proto": "http"}, body=ENQUEUE).status == 403
    assert call("admin_jobs", "POST", headers={**forwarded, "X-Forwarded-Host": "evil.example, admin.example.com"}, body=ENQUEUE).status == 201
    assert call("admin_jobs", "POST", headers={**forwarded, "X-Forwarded-Host": "admin.example.com, evil.example"}, body=ENQUEUE).status == 403


def test_allowed_origins_are_compared_in_one_spelling(mode, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://Admin.Example.com:443")
    mode("token")
    headers = {"Authorization": f"Bearer {TOKEN}", "Origin": "https://admin.example.com"}
    assert call("admin_jobs", "POST", headers=headers, body=ENQUEUE).status == 201
    assert call("admin_jobs", "POST", headers={**headers, "Origin": "http://admin.example.com"}, body=ENQUEUE).status == 403


def test_local_mode_only_inside_the_local_host_and_only_for_loopback(mode, monkeypatch: pytest.MonkeyPatch) -> None:
    mode("local")
    loopback = {local.CLIENT_ADDR_HEADER: "127.0.0.1"}
    assert call("admin_jobs", headers=loopback).status == 401  # not running in the local host: a forged header is not enough
    monkeypatch.setattr(local, "_enabled", True)
    assert call("admin_jobs", headers=loopback).status == 200
    assert call("admin_jobs", headers={local.CLIENT_ADDR_HEADER: "::1"}).status == 200
    assert call("admin_jobs", headers={local.CLIENT_ADDR_HEADER: "10.0.0.8"}).status == 401
    assert call("admin_jobs", headers={local.CLIENT_ADDR_HEADER: "not-an-ip"}).status == 401
    assert call("admin_jobs").status == 401
    for relayed in ("Forwarded", "X-Forwarded-For", "X-Real-IP", "Via", "X-Forwarded-Host"):
        assert call("admin_jobs", headers={**loopback, relayed: "203.0.113.7"}).status == 401, relayed
