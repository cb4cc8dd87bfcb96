"""Call the real function objects from function_app.py with real HttpRequests, on a real SQLite file."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

from shared.app_context import get_context, reset_context

TOKEN = "t" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SETTINGS_TO_CLEAR = ("DB_BACKEND", "SQL_CONNECTION_STRING", "VIEWER_ROLE", "ADMIN_ROLE", "ALLOWED_ORIGINS", "TRUSTED_PROXY", "REPORT_GENERATOR")


def function(name: str) -> Callable[..., Any]:
    """The real function object registered in function_app.py under `name`."""
    from function_app import app
    from local_host.functions import load_functions

    return load_functions(app).call(name)


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


def call(
    name: str,
    method: str = "GET",
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | dict[str, Any] | None = None,
    route: str = "admin/jobs",
) -> Reply:
    all_headers = {"Host": "localhost:7071", **(headers or {})}
    if isinstance(body, dict):
        raw = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    else:
        raw = body or b""
    request = func.HttpRequest(method, f"http://localhost:7071/api/{route}", headers=all_headers, params=params or {}, body=raw)
    response = function(name)(request)
    text = response.get_body().decode("utf-8")
    return Reply(response.status_code, json.loads(text) if text else None, dict(response.headers))


def jobs(method: str = "GET", params: dict[str, str] | None = None, body: bytes | dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Reply:
    return call("admin_jobs", method, params, {**AUTH, **(headers or {})}, body)


def principal(roles: list[str], name: str = "ada@contoso.com") -> dict[str, str]:
    data = {"identityProvider": "aad", "userId": "u1", "userDetails": name, "userRoles": ["anonymous", "authenticated", *roles]}
    return {"x-ms-client-principal": base64.b64encode(json.dumps(data).encode()).decode()}


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, azurite: str) -> Iterator[Path]:
    """A fresh app on its own SQLite file and its own queue in Azurite, token and platform auth on; yields the database path."""
    for name in SETTINGS_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AzureWebJobsStorage", azurite)
    monkeypatch.setenv("JOB_DISPATCH", "queue")
    monkeypatch.setenv("JOB_QUEUE_NAME", f"jobs-{uuid.uuid4().hex[:12]}")
    path = tmp_path / "jobs.sqlite3"
    monkeypatch.setenv("SQLITE_PATH", str(path))
    monkeypatch.setenv("AUTH_MODE", "token,platform")
    monkeypatch.setenv("ADMIN_API_TOKEN", TOKEN)
    reset_context()
    yield path
    reset_context()


@pytest.fixture
def repo(app_env: Path):
    return get_context().jobs
