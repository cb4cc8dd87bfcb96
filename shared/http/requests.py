"""Strict reading of what a client sent: query parameters and JSON bodies (origins: see origins.py)."""

from __future__ import annotations

import json
import re
from typing import Any

import azure.functions as func

from shared.http.responses import ApiError

MAX_BODY_BYTES = 64 * 1024
JOB_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


def query_int(req: func.HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = req.params.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d{1,9}", raw.strip()):
        raise ApiError(400, "invalid_parameter", f"'{name}' must be a whole number from {low} to {high}")
    value = int(raw.strip())
    if not low <= value <= high:
        raise ApiError(400, "invalid_parameter", f"'{name}' must be a whole number from {low} to {high}")
    return value


def query_choice(req: func.HttpRequest, name: str, allowed: tuple[str, ...]) -> str | None:
    raw = req.params.get(name)
    if raw is None or raw in {"", "all"}:
        return None
    if raw not in allowed:
        raise ApiError(400, "invalid_parameter", f"'{name}' must be one of: {', '.join(allowed)}")
    return raw


def valid_job_id(value: Any, field: str = "job_id") -> str:
    if not isinstance(value, str) or not JOB_ID_PATTERN.match(value):
        raise ApiError(400, "invalid_job_id", f"'{field}' must be 1-64 letters, digits, '_', '-', '.', or ':'")
    return value


def json_body(req: func.HttpRequest) -> dict[str, Any]:
    """The body of a state-changing call: JSON, an object, at most 64 KiB."""
    content_type = (req.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'")
    raw = req.get_body() or b""
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "body_too_large", f"The body must be at most {MAX_BODY_BYTES} bytes")
    if not raw.strip():
        return {}  # an empty JSON call, e.g. a manual worker run
    try:
        body = json.loads(raw.decode("utf-8-sig"))  # Windows tools (PowerShell) may prefix a BOM
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "invalid_json", "The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "The body must be a JSON object")
    return body
