"""Check a real reply against the OpenAPI document the app serves."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from shared.api.openapi_spec import document

DOCUMENT = document()


def response_schema(path: str, method: str, status: int) -> dict[str, Any]:
    responses = DOCUMENT["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} answered {status}, which the document does not list"
    return responses[str(status)]["content"]["application/json"]["schema"]


def assert_matches_document(path: str, method: str, status: int, body: Any) -> None:
    schema = {**response_schema(path, method, status), "components": DOCUMENT["components"]}
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    errors = [f"{error.instance_path}: {error.message}" for error in validator.iter_errors(body)]
    assert not errors, f"{method} {path} {status} breaks the document: {errors[:5]}"
