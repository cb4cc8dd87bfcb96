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
def mode(app_env: Path, monkeypatch: pytest.MonkeyPatch):
    def set_mode(value: str) -> None:
        monkeypatch.setenv("AUTH_MODE", value)
        reset_context()

    return set_mode


@pytest.mark.parametrize(("name", "method", "route"), [
    ("admin_jobs", "GET", "admin/jobs"), ("admin_jobs", "POST", "admin/jobs"), ("worker_run_now", "POST", "exec/worker/run"),
])
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
    easy_auth = {"auth_typ": "aad", "name_typ": "name", "role_typ": "roles",
                 "claims": [{"typ": "name", "val": "Lin"}, {"typ": "roles", "val": "admin"}]}
    reply = call("admin_jobs", "POST", headers={"x-ms-client-principal": encoded(easy_auth)}, body=ENQUEUE)
    assert reply.status == 201 and reply.body["job"]["created_by"] == "Lin"
    no_role = {**easy_auth, "claims": [{"typ": "name", "val": "Lin"}]}
    assert call("admin_jobs", headers={"x-ms-client-principal": encoded(no_role)}).status == 403


@pytest.mark.parametrize("garbled", [
    "%%%not base64%%%", base64.b64encode(b"not json").decode(), encoded([1, 2]), encoded({"userRoles": "admin"}),
    encoded({"claims": "admin"}), encoded({"hello": "world"}), "A" * 20000,
])
def test_garbled_principals_are_401(mode, garbled: str) -> None:
    mode("platform")
    reply = call("admin_jobs", headers={"x-ms-client-principal": garbled})
    assert reply.status == 401 and reply.body["code"] == "unauthorized"


def test_a_principal_is_ignored_unless_platform_mode_says_the_platform_strips_forgeries(mode) -> None:
    mode("token")
    assert call("admin_jobs", headers=principal(["admin"])).status == 401


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
