"""Strong ETags over a reply's stable content, and If-None-Match matching (RFC 9110 §13.1.2).

An admin page polls every 2 s; when nothing changed, a 304 with no body is all it needs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import azure.functions as func


def strong_etag(content: Mapping[str, Any]) -> str:
    digest = hashlib.blake2b(json.dumps(content, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode(), digest_size=16)
    return f'"{digest.hexdigest()}"'


def without_keys(items: Iterable[Mapping[str, Any]], keys: frozenset[str]) -> list[dict[str, Any]]:
    return [{key: value for key, value in item.items() if key not in keys} for item in items]


def matches(req: func.HttpRequest, etag: str) -> bool:
    """If-None-Match names this ETag (or `*`); weak comparison, as the RFC asks for this header."""
    header = req.headers.get("if-none-match")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def not_modified(etag: str, headers: Mapping[str, str]) -> func.HttpResponse:
    return func.HttpResponse(status_code=304, headers={**headers, "ETag": etag})
