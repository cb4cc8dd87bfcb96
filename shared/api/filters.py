"""Read the search and filter parameters (q, status, scope_type, from, to) from a query string or
a bulk action's `filter` object, with the same rules and 400 messages for both."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.api import fields
from shared.http.responses import ApiError
from shared.jobs.models import STATUSES
from shared.jobs.search import JobFilter

FILTER_KEYS = ("status", "q", "scope_type", "from", "to")
SEARCH_KEYS = ("q", "scope_type", "from", "to")
MAX_Q = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# No job was created before 1970 or after 9998, so bounds outside are the same as no bound; clamping
# keeps every date-time the document allows valid, and the stored text comparable.
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9998, 12, 31, tzinfo=UTC)


def has_search(params: Mapping[str, Any]) -> bool:
    return any(params.get(key) not in (None, "") for key in SEARCH_KEYS)


def parse_filter(params: Mapping[str, Any]) -> JobFilter:
    """A JobFilter, or ApiError 400 naming the first bad value. Empty values mean "any"."""
    values = {key: params.get(key) for key in FILTER_KEYS}
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise ApiError(400, "invalid_parameter", f"'{key}' must be a string")
    status = values["status"] or None
    if status == "all":
        status = None
    if status is not None and status not in STATUSES:
        raise ApiError(400, "invalid_parameter", f"'status' must be one of: {', '.join(STATUSES)}")
    q = (values["q"] or "").strip() or None
    if q is not None:
        fields.search_text(q, "q", MAX_Q)
    scope_type = values["scope_type"] or None
    if scope_type is not None:
        fields.scope_type(scope_type, "invalid_parameter")
    created_from = _moment(values["from"], "from", end_of_day=False)
    created_to = _moment(values["to"], "to", end_of_day=True)  # at or before `from`: matches nothing
    return JobFilter(status=status, q=q, scope_type=scope_type, created_from=created_from, created_to=created_to)


def _moment(value: str | None, name: str, end_of_day: bool) -> datetime | None:
    """A UTC date (YYYY-MM-DD; `to` includes that whole day) or an ISO 8601 time with an offset."""
    if not value:
        return None
    text = value.strip()
    try:
        if _DATE.match(text):
            day = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
            moment: datetime | None = day + timedelta(days=1) if end_of_day and day.year < 9999 else day
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, OverflowError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApiError(400, "invalid_parameter", f"'{name}' must be a date (YYYY-MM-DD, UTC) or an ISO 8601 time with a zone, e.g. 2026-01-31T09:00:00Z")
    return min(max(moment.astimezone(UTC), _EARLIEST), _LATEST)
