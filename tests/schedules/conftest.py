"""Schedules on a real database (SQLite always, SQL Server when configured), at fixed instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.db import Database
from shared.schedules.service import RuleSpec, SchedulesService

# A Tuesday: the week just ended is 2026-W10 and the month just ended is 2026-02.
TUESDAY = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
WEEKLY = RuleSpec(name="weekly network", scope_type="network", scope_key=None, period_kind="week", cron="0 6 * * 1")


class Clock:
    """A clock the test moves by hand; the service reads it for created_at and run-now periods."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY)


@pytest.fixture
def service(db: Database, clock: Clock) -> SchedulesService:
    return SchedulesService(db, max_attempts=3, clock=clock)


def add_source_rows(db: Database, scope_type: str, scope_keys: list[str], first_day: date, days: int = 7) -> None:
    rows = [
        {
            "scope_type": scope_type,
            "scope_key": key,
            "metric_date": (first_day + timedelta(days=offset)).isoformat(),
            "metric": "revenue",
            "value": 100.0 + offset,
        }
        for key in scope_keys
        for offset in range(days)
    ]
    db.run(lambda tx: tx.execute_many("insert_source_row", rows))


def jobs_of(db: Database) -> list[dict]:
    return db.run(lambda tx: tx.fetch_all("list_jobs_oldest", {"status": None, "offset": 0, "limit": 1000}), write=False)
