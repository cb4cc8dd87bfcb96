"""The report JSON schema, and a validator for exactly the subset of JSON Schema it uses.

The same dict is sent to the model as a strict structured-output schema, so what we ask for and what
we accept cannot drift apart. A hand validator keeps the runtime free of a jsonschema dependency; it
understands `type` (one or a list), `properties`, `required`, `additionalProperties: false` and
`items`, which is all strict structured output allows us to use anyway.
"""

from __future__ import annotations

import json
import math
from typing import Any

from shared.reports.errors import InvalidReport

_NULLABLE_NUMBER = {"type": ["number", "null"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}

KPI_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "value", "previous", "change_pct", "unit"],
    "properties": {
        "name": {"type": "string"},
        "value": {"type": "number"},
        "previous": _NULLABLE_NUMBER,
        "change_pct": _NULLABLE_NUMBER,
        "unit": {"type": ["string", "null"]},
    },
}

REPORT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["headline", "summary", "kpis", "highlights", "risks", "recommendations"],
    "properties": {
        "headline": {"type": "string"},
        "summary": {"type": "string"},
        "kpis": {"type": "array", "items": KPI_SCHEMA},
        "highlights": _STRINGS,
        "risks": _STRINGS,
        "recommendations": _STRINGS,
    },
}

SCHEMA_NAME = "exec_report"


def _is_type(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "string":
        return isinstance(value, str)
    if name == "number":
        # bool is an int in Python but not a number in JSON; NaN and infinity are not JSON at all.
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise ValueError(f"schema uses unsupported type {name!r}")


def _json_type(value: Any) -> str:
    for name in ("null", "string", "number", "array", "object"):
        if _is_type(value, name):
            return name
    return "boolean" if isinstance(value, bool) else "non-finite number" if isinstance(value, float) else type(value).__name__


def schema_errors(value: Any, schema: dict[str, Any] = REPORT_SCHEMA, path: str = "$") -> list[str]:
    """Every way `value` breaks `schema`, each as `path: problem`; empty when it conforms."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if not any(_is_type(value, name) for name in types):
        return [f"{path}: expected {' or '.join(types)}, got {_json_type(value)}"]
    errors: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [f"{path}: missing {name!r}" for name in schema.get("required", []) if name not in value]
        if schema.get("additionalProperties") is False:
            errors += [f"{path}: unexpected {name!r}" for name in value if name not in properties]
        for name, subschema in properties.items():
            if name in value:
                errors += schema_errors(value[name], subschema, f"{path}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{path}[{index}]")
    return errors


def parse_report(text: str | None) -> dict[str, Any]:
    """The report a model (or the offline generator) wrote, or InvalidReport saying what is wrong."""
    if not text or not text.strip():
        raise InvalidReport("the output was empty", output=text or "")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidReport(f"the output is not JSON ({exc.msg} at character {exc.pos})", output=text) from None
    errors = schema_errors(value)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InvalidReport(f"{errors[0]}{more}", output=text)
    return value
