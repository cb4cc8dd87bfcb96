"""UTC time in one shape: timezone-aware datetimes inside, ISO 8601 with `Z` outside."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """Normalise what a driver returns (naive UTC datetime from pyodbc, ISO text from SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        value = datetime.fromisoformat(text.replace(" ", "T", 1))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso_z(value: datetime | str | None) -> str | None:
    """ISO 8601 UTC with millisecond precision and a trailing `Z`, as the API writes times."""
    moment = as_utc(value)
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def db_time(value: datetime) -> str:
    """The text form stored in SQLite: sortable, fixed width, UTC, no offset."""
    moment = as_utc(value)
    assert moment is not None
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
