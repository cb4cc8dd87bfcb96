"""Every read and write of schedules and their runs, through named queries; no SQL lives here."""

from __future__ import annotations

from datetime import datetime

from shared.db import Database, Transaction
from shared.jobs.periods import Period
from shared.schedules.models import RunProgress, RunResult, Schedule


class SchedulesRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reads on their own -------------------------------------------------------------------

    def list_all(self) -> list[Schedule]:
        return [Schedule.from_row(row) for row in self.db.fetch_all("list_schedules")]

    def get(self, schedule_id: str) -> Schedule | None:
        row = self.db.fetch_one("get_schedule", {"schedule_id": schedule_id})
        return Schedule.from_row(row) if row else None

    def due_ids(self, now: datetime) -> list[str]:
        return [row["schedule_id"] for row in self.db.fetch_all("due_schedules", {"now": now})]

    # --- steps inside a caller's transaction ---------------------------------------------------

    @staticmethod
    def lock(tx: Transaction, schedule_id: str) -> Schedule | None:
        row = tx.fetch_one("lock_schedule", {"schedule_id": schedule_id})
        return Schedule.from_row(row) if row else None

    @staticmethod
    def name_owner(tx: Transaction, name: str) -> str | None:
        row = tx.fetch_one("find_schedule_by_name", {"name": name})
        return str(row["schedule_id"]) if row else None

    @staticmethod
    def insert(tx: Transaction, schedule: Schedule) -> None:
        tx.execute(
            "insert_schedule",
            {
                "schedule_id": schedule.schedule_id,
                "name": schedule.name,
                "scope_type": schedule.scope_type,
                "scope_key": schedule.scope_key,
                "period_kind": schedule.period_kind,
                "cron": schedule.cron,
                "timezone": schedule.timezone,
                "paused": int(schedule.paused),
                "created_by": schedule.created_by,
                "created_at": schedule.created_at,
                "updated_at": schedule.updated_at,
                "next_run_at": schedule.next_run_at,
            },
        )

    @staticmethod
    def update(tx: Transaction, schedule: Schedule) -> None:
        tx.execute(
            "update_schedule",
            {
                "schedule_id": schedule.schedule_id,
                "name": schedule.name,
                "scope_type": schedule.scope_type,
                "scope_key": schedule.scope_key,
                "period_kind": schedule.period_kind,
                "cron": schedule.cron,
                "paused": int(schedule.paused),
                "updated_at": schedule.updated_at,
                "next_run_at": schedule.next_run_at,
            },
        )

    @staticmethod
    def set_next_run(tx: Transaction, schedule_id: str, next_run_at: datetime | None) -> None:
        tx.execute("set_schedule_next_run", {"schedule_id": schedule_id, "next_run_at": next_run_at})

    @staticmethod
    def delete(tx: Transaction, schedule_id: str) -> bool:
        tx.execute("delete_schedule_runs", {"schedule_id": schedule_id})
        return tx.execute("delete_schedule", {"schedule_id": schedule_id}) == 1

    @staticmethod
    def claim_period(tx: Transaction, schedule_id: str, period: str, trigger: str, run_by: str, now: datetime) -> bool:
        """True for the one caller that gets to enqueue this period of this rule, ever."""
        params = {"schedule_id": schedule_id, "period_label": period, "run_trigger": trigger, "run_by": run_by, "run_at": now}
        return tx.execute("claim_schedule_period", params) == 1

    @staticmethod
    def lock_run(tx: Transaction, schedule_id: str, period: str) -> RunProgress | None:
        row = tx.fetch_one("lock_schedule_run", {"schedule_id": schedule_id, "period_label": period})
        return RunProgress.from_row(row) if row else None

    @staticmethod
    def advance_run(tx: Transaction, progress: RunProgress, now: datetime) -> None:
        tx.execute(
            "advance_schedule_run",
            {
                "schedule_id": progress.schedule_id,
                "period_label": progress.period,
                "jobs_created": progress.created,
                "jobs_existing": progress.existing,
                "scopes_after": progress.after,
                "jobs_shown": progress.jobs_json(),
                "finished_at": now if progress.finished else None,
            },
        )

    @staticmethod
    def record_result(tx: Transaction, schedule_id: str, result: RunResult, run_at: datetime) -> None:
        tx.execute("record_schedule_run", {"schedule_id": schedule_id, "last_run_at": run_at, "last_result": result.to_json()})

    def unfinished_runs(self) -> list[tuple[str, str]]:
        return [(str(row["schedule_id"]), row["period_label"]) for row in self.db.fetch_all("unfinished_schedule_runs")]

    @staticmethod
    def scopes_with_rows(tx: Transaction, scope_type: str, period: Period, after: str, limit: int) -> list[str]:
        """The next `limit` scopes with source rows in `period` whose keys sort after `after`."""
        params = {"scope_type": scope_type, "start_date": period.start.isoformat(), "end_date": period.end.isoformat(), "after": after, "limit": limit}
        return [row["scope_key"] for row in tx.fetch_all("scopes_with_rows", params)]

    def record_error(self, schedule_id: str, result: RunResult, now: datetime) -> None:
        self.db.run(lambda tx: self.record_result(tx, schedule_id, result, now))

    @staticmethod
    def get_run(tx: Transaction, schedule_id: str, period: str) -> RunResult | None:
        """What an earlier run of this period did (or has done so far), from its claim row."""
        row = tx.fetch_one("get_schedule_run", {"schedule_id": schedule_id, "period_label": period})
        return RunProgress.from_row(row).result() if row else None
