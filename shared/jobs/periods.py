"""Report periods: an ISO week (`2026-W47`) or a month (`2026-11`), as half-open date ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    label: str  # as stored: iso_week or month_key
    kind: str  # "week" or "month"
    start: date  # first day
    end: date  # the day after the last

    def previous(self) -> Period:
        if self.kind == "week":
            return week_period(_iso_week_label(self.start - timedelta(days=7)))
        last_month_day = self.start - timedelta(days=1)
        return month_period(f"{last_month_day.year:04d}-{last_month_day.month:02d}")


def _iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_period(label: str) -> Period:
    match = _ISO_WEEK.match(label)
    if not match:
        raise InvalidPeriod("iso_week must look like 2026-W07")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        start = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidPeriod(f"{label} is not a week of {year}") from None
    return Period(label, "week", start, start + timedelta(days=7))


def month_period(label: str) -> Period:
    match = _MONTH.match(label)
    if not match:
        raise InvalidPeriod("month_key must look like 2026-11")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        raise InvalidPeriod(f"{label} is not a month")
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(label, "month", start, end)


def job_period(iso_week: str | None, month_key: str | None) -> Period:
    """The period a job covers; exactly one of iso_week and month_key is set."""
    if (iso_week is None) == (month_key is None):
        raise InvalidPeriod("give exactly one of iso_week and month_key")
    return week_period(iso_week) if iso_week is not None else month_period(month_key)  # type: ignore[arg-type]


def last_week(today: date) -> str:
    return _iso_week_label(today - timedelta(days=7))


def last_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"
