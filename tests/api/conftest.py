"""Call the real function objects from function_app.py with real HttpRequests, on a real SQLite file
(the app_db_path fixture of tests/conftest.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

from shared.app_context import get_context
from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


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


def get_raw(name: str, route: str, headers: dict[str, str] | None = None, params: dict[str, str] | None = None) -> func.HttpResponse:
    """The raw reply of a GET, for the routes that answer CSV rather than JSON."""
    request = func.HttpRequest(
        "GET", f"http://localhost:7071/api/{route}", headers={"Host": "localhost:7071", **(headers or AUTH)}, params=params or {}, body=b""
    )
    return function(name)(request)


@pytest.fixture
def repo(app_db_path: Path):
    return get_context().jobs
