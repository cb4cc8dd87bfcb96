"""What a request value must be, each rule stated once.

A rule both checks a value (a 400 with its code and message, naming the field) and renders the JSON
Schema the OpenAPI document shows for it, from the same constants: the pattern the server matches is
the pattern the document prints. The handlers' action tables (shared/api/actions.py) and query
definitions (shared/api/query.py) are built from these rules, and so is the document
(shared/api/openapi_spec.py); tests/api/test_request_rules.py checks each rule against its schema.

Where JSON Schema cannot say a rule (a length counted as SQL Server counts it, a week 53 only in
some years, a cron date that never occurs) the schema is the closest it can state and the rule is
stricter; the schema's description says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.http.responses import ApiError
from shared.jobs.models import STATUSES
from shared.jobs.periods import InvalidPeriod, month_period, week_period
from shared.schedules.cron import InvalidCron, parse_cron

CONTROL = r"\x00-\x1f\x7f-\x9f"


class Rule:
    """A check of one value and the JSON Schema that states it."""

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def parse(self, value: Any, name: str) -> Any:
        """The value as the handler uses it, or ApiError 400."""
        raise NotImplementedError


@dataclass(frozen=True)
class Pattern(Rule):
    """A string matching `pattern` in full (as JSON Schema's ECMA regex reads `^...$`)."""

    pattern: str
    message: str  # `{name}` is the field
    code: str = "invalid_field"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": self.pattern}

    def parse(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or not re.fullmatch(self.pattern, value):
            raise ApiError(400, self.code, self.message.format(name=name))
        return value


def stored_length(value: str) -> int:
    """Length as SQL Server's NVARCHAR(n) counts it: UTF-16 code units, so an emoji or another
    character beyond the Basic Multilingual Plane counts twice (a longer value fails with error 2628)."""
    return len(value.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Text(Rule):
    """Free text such as a scope key or a name: not blank, no control characters; stored trimmed."""

    longest: int
    code: str = "invalid_field"

    def schema(self) -> dict[str, Any]:
        visible = rf"[^{CONTROL}]"
        return {"type": "string", "maxLength": self.longest, "pattern": rf"^{visible}*[^\s{CONTROL}]{visible}*$"}

    def parse(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or stored_length(value) > self.longest or not value.strip() or re.search(f"[{CONTROL}]", value):
            raise ApiError(400, self.code, f"'{name}' must be 1-{self.longest} characters, not blank, with no control characters (an emoji counts as two)")
        return value.strip()


@dataclass(frozen=True)
class SearchText(Rule):
    """A search or prefix box: may be empty, but never holds control characters."""

    longest: int

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.longest, "pattern": rf"^[^{CONTROL}]*$"}

    def parse(self, value: Any, name: str) -> str:
        if not isinstance(value, str):
            raise ApiError(400, "invalid_parameter", f"'{name}' must be a string")
        if stored_length(value) > self.longest or re.search(f"[{CONTROL}]", value):
            raise ApiError(
                400, "invalid_parameter", f"'{name}' must be at most {self.longest} characters, none of them control characters (an emoji counts as two)"
            )
        return value


@dataclass(frozen=True)
class Boolean(Rule):
    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def parse(self, value: Any, name: str) -> bool:
        if not isinstance(value, bool):
            raise ApiError(400, "invalid_field", f"'{name}' must be true or false")
        return value


@dataclass(frozen=True)
class Choice(Rule):
    """One of a few words. `any_words` mean "no choice" (a list's "all" status) and parse to None."""

    values: tuple[str, ...]
    code: str = "invalid_parameter"
    any_words: tuple[str, ...] = ()
    message: str = ""  # default: "'{name}' must be one of: a, b"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": [*self.values, *self.any_words]}

    def parse(self, value: Any, name: str) -> str | None:
        if isinstance(value, str) and value in self.any_words:
            return None
        if not isinstance(value, str) or value not in self.values:
            raise ApiError(400, self.code, (self.message or "'{name}' must be one of: {values}").format(name=name, values=", ".join(self.values)))
        return value


@dataclass(frozen=True)
class Const(Rule):
    value: str
    code: str
    message: str

    def schema(self) -> dict[str, Any]:
        return {"const": self.value}

    def parse(self, value: Any, name: str) -> str:
        if value != self.value:
            raise ApiError(400, self.code, self.message.format(name=name))
        return self.value


@dataclass(frozen=True)
class Whole(Rule):
    """A whole number in a query string, from `low` to `high` (surrounding spaces allowed)."""

    low: int
    high: int
    default: int | None = None

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high} | ({} if self.default is None else {"default": self.default})

    def parse(self, value: Any, name: str) -> int:
        text = value.strip() if isinstance(value, str) else ""
        if not re.fullmatch(r"\d{1,9}", text) or not self.low <= int(text) <= self.high:
            raise ApiError(400, "invalid_parameter", f"'{name}' must be a whole number from {self.low} to {self.high}")
        return int(text)


@dataclass(frozen=True)
class Nullable(Rule):
    """null (or, with `empty`, an empty string: "none" from a form), or a value `inner` accepts."""

    inner: Rule
    description: str | None = None
    empty: bool = False

    def schema(self) -> dict[str, Any]:
        nothing = [{"type": "null"}, *([{"const": ""}] if self.empty else [])]
        return {"anyOf": [self.inner.schema(), *nothing]} | ({"description": self.description} if self.description else {})

    def parse(self, value: Any, name: str) -> Any:
        return None if value is None or (self.empty and value == "") else self.inner.parse(value, name)


@dataclass(frozen=True)
class Name(Rule):
    """A non-empty string of at most `longest` characters that the service looks up (and refuses if unknown)."""

    longest: int
    message: str

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": self.longest}

    def parse(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or not 1 <= len(value) <= self.longest:
            raise ApiError(400, "invalid_field", self.message.format(name=name))
        return value


@dataclass(frozen=True)
class ListOf(Rule):
    item: Rule
    longest: int
    message: str

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.schema(), "minItems": 1, "maxItems": self.longest}

    def parse(self, value: Any, name: str) -> list[Any]:
        if not isinstance(value, list) or not 1 <= len(value) <= self.longest:
            raise ApiError(400, "invalid_field", self.message.format(name=name, longest=self.longest))
        return [self.item.parse(item, f"{name}[]") for item in value]


@dataclass(frozen=True)
class Checked(Rule):
    """A rule JSON Schema can only approximate: `check` decides, `shape` is the closest schema."""

    shape: dict[str, Any]
    check: Callable[[Any], Any]
    code: str
    errors: tuple[type[Exception], ...]

    def schema(self) -> dict[str, Any]:
        return self.shape

    def parse(self, value: Any, name: str) -> Any:
        try:
            return self.check(value)
        except self.errors as err:
            raise ApiError(400, self.code, str(err)) from None


# --- the values several endpoints take ------------------------------------------------------------

JOB_ID = Pattern(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", "'{name}' must be 1-64 letters, digits, '_', '-', '.', or ':'", "invalid_job_id")
_SCOPE_TYPE = r"^[A-Za-z][A-Za-z0-9_-]{0,49}$"
_SCOPE_TYPE_MESSAGE = "'{name}' must be 1-50 letters, digits, '_' or '-', starting with a letter"
SCOPE_TYPE = Pattern(_SCOPE_TYPE, _SCOPE_TYPE_MESSAGE)
SCOPE_TYPE_PARAMETER = Pattern(_SCOPE_TYPE, _SCOPE_TYPE_MESSAGE, "invalid_parameter")
SCOPE_KEY = Text(200)
SEARCH = SearchText(200)
STATUS = Choice(STATUSES, any_words=("all",))


def _string_period(parse: Callable[[str], Any]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidPeriod("'iso_week' and 'month_key' must be strings")
        parse(value)
        return value

    return check


ISO_WEEK = Checked(
    {
        "type": "string",
        "pattern": r"^[1-9]\d{3}-W(0[1-9]|[1-4]\d|5[0-3])$",
        "examples": ["2026-W47"],
        "description": "An ISO week; W53 only in the years that have one.",
    },
    _string_period(week_period),
    "invalid_period",
    (InvalidPeriod,),
)
MONTH_KEY = Checked(
    {"type": "string", "pattern": r"^[1-9]\d{3}-(0[1-9]|1[0-2])$", "examples": ["2026-11"]}, _string_period(month_period), "invalid_period", (InvalidPeriod,)
)


def _cron_field(number: str) -> str:
    atom = rf"(?:\*|(?:{number})(?:-(?:{number}))?)(?:/[1-9]\d?)?"
    return rf"{atom}(?:,{atom})*"


# Five numeric fields as croniter reads them (minute, hour, day of month, month, day of week); croniter
# also takes names (MON) and refuses dates that never occur (31 February), which the schema cannot say.
CRON = Checked(
    {
        "type": "string",
        "maxLength": 100,
        "examples": ["0 6 * * 1", "0 6 1 * *"],
        "pattern": "^" + " ".join(_cron_field(number) for number in (r"[1-5]?\d", r"1?\d|2[0-3]", r"[1-9]|[12]\d|3[01]", r"[1-9]|1[0-2]", r"[0-7]")) + "$",
    },
    parse_cron,
    "invalid_cron",
    (InvalidCron,),
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# No job was created before 1970 or after 9998, so bounds outside are the same as no bound; clamping
# keeps every date-time the document allows valid, and the stored text comparable.
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9998, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class Moment(Rule):
    """A UTC date (YYYY-MM-DD; with `end_of_day`, that whole day is included) or an ISO 8601 time with a zone."""

    end_of_day: bool = False

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}

    def parse(self, value: Any, name: str) -> datetime:
        text = value.strip() if isinstance(value, str) else ""
        moment: datetime | None
        try:
            if _DATE.match(text):
                day = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
                moment = day + timedelta(days=1) if self.end_of_day and day.year < 9999 else day
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except (ValueError, OverflowError):
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ApiError(400, "invalid_parameter", f"'{name}' must be a date (YYYY-MM-DD, UTC) or an ISO 8601 time with a zone, e.g. 2026-01-31T09:00:00Z")
        return min(max(moment.astimezone(UTC), _EARLIEST), _LATEST)
