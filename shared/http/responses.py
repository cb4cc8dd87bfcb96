"""JSON in one shape: `{"ok": true, ...}` or `{"ok": false, "error", "code"}`, never a stack trace."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import azure.functions as func

from shared.config import SettingsError
from shared.db import DatabaseUnavailable, retry
from shared.db.errors import SchemaBehind

log = logging.getLogger(__name__)

BASE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


class ApiError(Exception):
    """A request the API refuses, with the status and machine code the client sees."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def json_response(body: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None) -> func.HttpResponse:
    return func.HttpResponse(
        body=json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        status_code=status,
        headers={**BASE_HEADERS, **(headers or {})},
        mimetype="application/json",
        charset="utf-8",
    )


def error_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> func.HttpResponse:
    return json_response({"ok": False, "error": message, "code": code}, status, headers)


def repeated_parameter(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str | None:
    """A query parameter given more than once: the platform keeps one of the values, so which one the
    client meant is unknowable; refuse it rather than guess."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, func.HttpRequest):
            seen: set[str] = set()
            for name, _ in parse_qsl(urlsplit(value.url).query, keep_blank_values=True):
                if name in seen:
                    return name
                seen.add(name)
    return None


def api_handler(handler: Callable[..., func.HttpResponse]) -> Callable[..., func.HttpResponse]:
    """Turn every failure into the JSON error contract; an unexpected one is logged, not shown."""

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> func.HttpResponse:
        if (name := repeated_parameter(args, kwargs)) is not None:
            return error_response(400, "repeated_parameter", f"Query parameter {name!r} is given more than once; give it once.")
        try:
            with retry.budget(retry.API_BUDGET_SECONDS):  # a request gives up on the database sooner than the worker
                return handler(*args, **kwargs)
        except ApiError as err:
            return error_response(err.status, err.code, err.message, err.headers)
        except SchemaBehind as err:
            log.error("%s", err)
            return error_response(503, "migrations_pending", str(err), {"Retry-After": "60"})
        except DatabaseUnavailable as err:
            # Logged once per outage by the database layer, not once per request.
            wait = max(1, round(err.retry_after or 5))
            return error_response(503, "database_unavailable", f"The database is unavailable ({err.reason}); try again shortly.", {"Retry-After": str(wait)})
        except SettingsError as err:
            log.error("misconfigured: %s", err)
            return error_response(503, "misconfigured", f"The app is misconfigured: {err}")
        except Exception:
            log.exception("unhandled error in %s", handler.__name__)
            return error_response(500, "internal_error", "Internal error; the details are in the server log.")

    return wrapper
