"""Strict reading of a state-changing call's JSON body (the values in it: shared/api/rules.py; origins: origins.py)."""

from __future__ import annotations

import json
from typing import Any

import azure.functions as func

from shared.http.responses import ApiError

MAX_BODY_BYTES = 64 * 1024


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
