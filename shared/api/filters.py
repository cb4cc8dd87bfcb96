"""The search and filter parameters (status, q, scope_type, from, to), defined once: read from the
list's and the export's query string, and from a bulk action's `filter` object, with the same rules
and 400 messages, and documented from the same definition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.api import rules
from shared.api.query import Param, Query
from shared.http.responses import ApiError
from shared.jobs.search import JobFilter

STATUS = Query(Param("status", rules.STATUS))
SEARCH = Query(
    Param("q", rules.SEARCH, description="Job id prefix, or 3+ characters of scope key, created_by, reason or stack trace.", trim=True),
    Param("scope_type", rules.SCOPE_TYPE_PARAMETER),
    Param("from", rules.Moment(), description="Created at or after: a UTC date (YYYY-MM-DD) or an ISO 8601 time with a zone."),
    # at or before `from`: matches nothing
    Param(
        "to",
        rules.Moment(end_of_day=True),
        description="Created before: a time, or a UTC date (that whole day included). A `to` at or before `from` matches nothing.",
    ),
)
FILTER = STATUS + SEARCH


def has_search(params: Mapping[str, Any]) -> bool:
    return SEARCH.given(params)


def parse_filter(params: Mapping[str, Any]) -> JobFilter:
    """A JobFilter, or ApiError 400 naming the first bad value. Empty values mean "any"."""
    return job_filter(FILTER.parse(params))


def job_filter(values: Mapping[str, Any]) -> JobFilter:
    """The JobFilter of values FILTER parsed (alone or within a longer query)."""
    return JobFilter(status=values["status"], q=values["q"], scope_type=values["scope_type"], created_from=values["from"], created_to=values["to"])


@dataclass(frozen=True)
class FilterObject(rules.Rule):
    """A bulk action's `filter`: the list's query parameters as a JSON object of strings."""

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "properties": {param.name: param.schema() for param in FILTER.params}, "required": [], "additionalProperties": False}

    def parse(self, value: Any, name: str) -> JobFilter:
        if not isinstance(value, dict):
            raise ApiError(400, "invalid_field", f"'{name}' must be an object")
        unknown = set(value) - {param.name for param in FILTER.params}
        if unknown:
            raise ApiError(400, "unknown_field", f"Unknown filter field(s): {', '.join(sorted(unknown))}")
        if not all(isinstance(item, str) for item in value.values()):
            raise ApiError(400, "invalid_parameter", f"Every '{name}' value must be a string (empty: any)")
        return parse_filter(value)
