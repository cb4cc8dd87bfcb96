"""Query strings, read from one definition per route: the parameters the handler parses are the
parameters the OpenAPI document lists, with the same rules (shared/api/rules.py)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.api.rules import Rule
from shared.http.responses import ApiError

EMPTY = {"type": "string", "maxLength": 0}


@dataclass(frozen=True)
class Param:
    name: str
    rule: Rule
    default: Any = None  # what a parameter not given (or given empty, as HTML forms send it) means
    description: str | None = None
    trim: bool = False  # surrounding spaces are dropped first, so only spaces is as good as empty
    required: bool = False  # not given (or empty) is refused by the rule, as a bad value is

    def parse(self, raw: Any) -> Any:
        if raw is not None and not isinstance(raw, str):  # a bulk action's filter object is JSON
            raise ApiError(400, "invalid_parameter", f"'{self.name}' must be a string")
        text = raw.strip() if self.trim and raw is not None else raw
        if text in (None, "") and not self.required:
            return self.default
        return self.rule.parse(text, self.name)

    def schema(self) -> dict[str, Any]:
        """The rule's schema and the default; a value that is given empty means "not given"."""
        schema = self.rule.schema() | ({} if self.default is None else {"default": self.default})
        return schema if self.required else {"anyOf": [schema, EMPTY]}

    def document(self) -> dict[str, Any]:
        described = {"description": self.description} if self.description else {}
        return {"name": self.name, "in": "query"} | ({"required": True} if self.required else {}) | described | {"schema": self.schema()}


class Query:
    def __init__(self, *params: Param) -> None:
        self.params = params

    def __add__(self, other: Query) -> Query:
        return Query(*self.params, *other.params)

    def parse(self, source: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter's value by name, or ApiError 400 naming the first bad one."""
        return {param.name: param.parse(source.get(param.name)) for param in self.params}

    def given(self, source: Mapping[str, Any]) -> bool:
        return any(source.get(param.name) not in (None, "") for param in self.params)

    def document(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(param.document()) for param in self.params]
