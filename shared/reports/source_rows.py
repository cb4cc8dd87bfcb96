"""Reading report input from SOURCE_ROWS_TABLE (columns metric_date, metric, value) for one period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.db import Database, DatabaseUnavailable
from shared.jobs.periods import Period
from shared.reports.errors import SourceRowsUnreadable


@dataclass(frozen=True)
class MetricRow:
    metric_date: date
    metric: str
    value: float


def _as_date(value: date | datetime | str) -> date:
    # SQL Server returns a date, SQLite the ISO text; a user's view may even return a datetime.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class SourceRowsRepository:
    def __init__(self, db: Database, table: str) -> None:
        self.db = db
        self.table = table  # for messages; the query already names it

    def load(self, scope_type: str, scope_key: str, period: Period) -> list[MetricRow]:
        params = {
            "scope_type": scope_type,
            "scope_key": scope_key,
            # ISO text compares correctly with SQLite's text dates and converts to SQL Server's DATE.
            "start_date": period.start.isoformat(),
            "end_date": period.end.isoformat(),
        }
        try:
            rows = self.db.fetch_all("select_source_rows", params)
            return [MetricRow(_as_date(row["metric_date"]), str(row["metric"]), float(row["value"])) for row in rows]
        except DatabaseUnavailable:
            raise  # transient: the job is retried
        except Exception as exc:
            # A missing view or a column that breaks the contract: no retry fixes it, the setting must change.
            raise SourceRowsUnreadable(f"cannot read source rows from {self.table} (SOURCE_ROWS_TABLE): {type(exc).__name__}: {exc}") from exc
