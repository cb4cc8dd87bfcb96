"""POST actions, one table per route: each action names its fields with their rules, the rules
that join fields, and the function that calls the service. The handler dispatches through the
table, and the OpenAPI document's request body is rendered from the same table, so adding an
action is one entry here and nothing in the document.

Every POST action needs the admin role: shared/api/endpoint.py checks it (and the origin) before
the body is read, so a caller without it learns nothing about what a valid body looks like.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import azure.functions as func

from shared.api.rules import Rule
from shared.auth import Identity
from shared.http.responses import ApiError

Run = Callable[[dict[str, Any], Identity], func.HttpResponse]


@dataclass(frozen=True)
class Field:
    name: str
    rule: Rule
    required: bool = False
    description: str | None = None

    def schema(self) -> dict[str, Any]:
        return self.rule.schema() | ({"description": self.description} if self.description else {})


class Join:
    """A rule over several fields of one body, checked after each field's own rule."""

    def check(self, body: dict[str, Any]) -> None:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class ExactlyOne(Join):
    """Exactly one of two fields is given; with `null_is_absent`, a null counts as not given."""

    names: tuple[str, str]
    code: str
    message: str
    null_is_absent: bool = False

    def _given(self, body: dict[str, Any], name: str) -> bool:
        return name in body and not (self.null_is_absent and body[name] is None)

    def check(self, body: dict[str, Any]) -> None:
        if sum(self._given(body, name) for name in self.names) != 1:
            raise ApiError(400, self.code, self.message)

    def schema(self) -> dict[str, Any]:
        def branch(given: str, other: str) -> dict[str, Any]:
            if not self.null_is_absent:
                return {"required": [given]}
            return {"required": [given], "properties": {given: {"not": {"type": "null"}}, other: {"type": "null"}}}

        first, second = self.names
        return {"oneOf": [branch(first, second), branch(second, first)]}


@dataclass(frozen=True)
class OnlyWith(Join):
    """`name` may be true only when `other` is given."""

    name: str
    other: str
    message: str

    def check(self, body: dict[str, Any]) -> None:
        if body.get(self.name) is True and self.other not in body:
            raise ApiError(400, "invalid_field", self.message)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"properties": {self.name: {"const": False}}}, {"required": [self.other]}]}


@dataclass(frozen=True)
class AtLeastOne(Join):
    """At least one of these fields is given besides `action` and the id."""

    names: tuple[str, ...]
    message: str

    def check(self, body: dict[str, Any]) -> None:
        if not any(name in body for name in self.names):
            raise ApiError(400, "missing_field", self.message)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"required": [name]} for name in self.names]}


@dataclass(frozen=True)
class PostAction:
    name: str
    schema_name: str  # its request schema in the document's components
    run: Run  # gets the parsed values by field name
    fields: tuple[Field, ...] = ()
    joins: tuple[Join, ...] = ()
    # Required fields that are missing: one 400 listing them (missing_field), or, when False, the
    # first missing field's own rule refuses it as it refuses a bad value.
    list_missing: bool = False
    description: str | None = None

    def parse(self, body: dict[str, Any]) -> dict[str, Any]:
        missing = [item.name for item in self.fields if item.required and item.name not in body]
        if missing and self.list_missing:
            raise ApiError(400, "missing_field", f"{self.name} needs: {', '.join(missing)}")
        values = {item.name: item.rule.parse(body.get(item.name), item.name) for item in self.fields if item.name in body or item.required}
        for join in self.joins:
            join.check(body)
        return values

    def schema(self) -> dict[str, Any]:
        properties = {"action": {"const": self.name}, **{item.name: item.schema() for item in self.fields}}
        required = ["action", *(item.name for item in self.fields if item.required)]
        schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
        joined = [join.schema() for join in self.joins]
        if len(joined) == 1:
            schema |= joined[0]
        elif joined:
            schema["allOf"] = joined
        return schema | ({"description": self.description} if self.description else {})


@dataclass(frozen=True)
class ActionTable:
    actions: tuple[PostAction, ...]
    by_name: dict[str, PostAction] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {action.name: action for action in self.actions})

    def dispatch(self, body: dict[str, Any], identity: Identity) -> func.HttpResponse:
        """Run the body's action with its fields parsed; no field that action does not take (a typo is a 400, not ignored)."""
        name = body.get("action")
        if not isinstance(name, str) or name not in self.by_name:
            raise ApiError(400, "unknown_action", f"'action' must be one of: {', '.join(self.by_name)}")
        action = self.by_name[name]
        unknown = set(body) - {item.name for item in action.fields} - {"action"}
        if unknown:
            raise ApiError(400, "unknown_field", f"Unknown field(s) for {name}: {', '.join(sorted(unknown))}")
        return action.run(action.parse(body), identity)

    def schemas(self) -> dict[str, Any]:
        """Each action's request schema, by its component name."""
        return {action.schema_name: action.schema() for action in self.actions}

    def request_body(self) -> dict[str, Any]:
        return {"oneOf": [{"$ref": f"#/components/schemas/{action.schema_name}"} for action in self.actions]}
