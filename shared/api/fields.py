"""Validators for the fields several endpoints accept, so each rule and its message exist once.

The OpenAPI document states the same rules (shared/api/openapi_spec.py: SCOPE_TYPE, text_schema).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shared.http.responses import ApiError

SCOPE_TYPE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,49}$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_SCOPE_KEY = 200


def scope_type(value: Any, code: str = "invalid_field") -> str:
    if not isinstance(value, str) or not SCOPE_TYPE_PATTERN.match(value):
        raise ApiError(400, code, "'scope_type' must be 1-50 letters, digits, '_' or '-', starting with a letter")
    return value


def stored_length(value: str) -> int:
    """Length as SQL Server's NVARCHAR(n) counts it: UTF-16 code units, so an emoji or another
    character beyond the Basic Multilingual Plane counts twice (a longer value fails with error 2628)."""
    return len(value.encode("utf-16-le")) // 2


def text(value: Any, name: str, longest: int, code: str = "invalid_field") -> str:
    """Free text such as a scope key or a name: not blank, no control characters; stored trimmed."""
    if not isinstance(value, str) or stored_length(value) > longest or not value.strip() or CONTROL_CHARACTERS.search(value):
        raise ApiError(400, code, f"'{name}' must be 1-{longest} characters, not blank, with no control characters (an emoji counts as two)")
    return value.strip()


def search_text(value: str, name: str, longest: int) -> str:
    """A search or prefix box: may be empty, but never holds control characters."""
    if stored_length(value) > longest or CONTROL_CHARACTERS.search(value):
        raise ApiError(400, "invalid_parameter", f"'{name}' must be at most {longest} characters, none of them control characters (an emoji counts as two)")
    return value


def action(body: dict[str, Any], fields_by_action: Mapping[str, set[str]]) -> str:
    """A POST body's action, with no field that action does not take (a typo is a 400, not ignored)."""
    name = body.get("action")
    if not isinstance(name, str) or name not in fields_by_action:
        raise ApiError(400, "unknown_action", f"'action' must be one of: {', '.join(fields_by_action)}")
    unknown = set(body) - fields_by_action[name] - {"action"}
    if unknown:
        raise ApiError(400, "unknown_field", f"Unknown field(s) for {name}: {', '.join(sorted(unknown))}")
    return name
