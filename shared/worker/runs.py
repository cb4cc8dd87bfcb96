"""Worker-run records (exec_report_worker_runs): one row per pass, the source of worker health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.clock import as_utc
from shared.db import Database

COUNTS = ("reaped", "claimed", "succeeded", "failed", "requeued", "canceled")


@dataclass(frozen=True)
class WorkerRun:
    run_id: str
    trigger: str
    worker_id: str
    started_at: datetime
    finished_at: datetime | None  # None: still running, or the process died mid-pass
    reaped: int
    claimed: int
    succeeded: int
    failed: int
    requeued: int
    canceled: int
    error: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WorkerRun:
        return cls(
            run_id=str(row["run_id"]),
            trigger=row["trigger"],
            worker_id=row["worker_id"],
            started_at=as_utc(row["started_at"]),  # type: ignore[arg-type]
            finished_at=as_utc(row.get("finished_at")),
            error=row.get("error"),
            **{name: int(row.get(name) or 0) for name in COUNTS},
        )


class WorkerRunsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, run_id: str, trigger: str, worker_id: str, started_at: datetime) -> None:
        self.db.execute("insert_worker_run", {"run_id": run_id, "trigger": trigger, "worker_id": worker_id, "started_at": started_at})

    def finish(self, run_id: str, finished_at: datetime, counts: dict[str, int], error: str | None) -> None:
        self.db.execute("finish_worker_run", {"run_id": run_id, "finished_at": finished_at, "error": error, **{name: counts[name] for name in COUNTS}})

    def list_recent(self, limit: int = 20) -> list[WorkerRun]:
        return [WorkerRun.from_row(row) for row in self.db.fetch_all("list_worker_runs", {"limit": limit})]

    def problem_runs(self, since: datetime, unfinished_before: datetime, limit: int) -> list[WorkerRun]:
        """Passes since `since` that recorded an error, or started before `unfinished_before` and never finished."""
        params = {"since": since, "unfinished_before": unfinished_before, "limit": limit}
        return [WorkerRun.from_row(row) for row in self.db.fetch_all("health_problem_runs", params)]

    def last_timer_run(self) -> WorkerRun | None:
        row = self.db.fetch_one("health_last_timer_run")
        return WorkerRun.from_row(row) if row else None
