"""The audit log: who enqueued, canceled, retried, bulk-acted on or triggered what, and when.

Entries are written in the same transaction as the change they describe, so a change is never
committed without its entry. The log outlives the jobs it names (retention keeps it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.clock import as_utc
from shared.db import Database, Transaction

ENQUEUE, CANCEL, RETRY, BULK_CANCEL, BULK_RETRY, TRIGGER_WORKER, RETENTION = (
    "enqueue_job",
    "cancel_job",
    "retry_job",
    "bulk_cancel",
    "bulk_retry",
    "trigger_worker",
    "retention",
)
RERUN, RATE_REPORT = "rerun_job", "rate_report"  # issue 19: re-run with another model, rate a report
# What admins do to report schedules (shared/schedules/service.py writes them in the change's transaction).
SCHEDULE_CREATE, SCHEDULE_UPDATE, SCHEDULE_PAUSE, SCHEDULE_RESUME, SCHEDULE_DELETE, SCHEDULE_RUN_NOW = (
    "schedule_create",
    "schedule_update",
    "schedule_pause",
    "schedule_resume",
    "schedule_delete",
    "schedule_run_now",
)
SCHEDULE_ACTIONS = (SCHEDULE_CREATE, SCHEDULE_UPDATE, SCHEDULE_PAUSE, SCHEDULE_RESUME, SCHEDULE_DELETE, SCHEDULE_RUN_NOW)
# Not an admin's: the lease reaper's note that a worker pass was killed mid-pass (shared/jobs/repository.py).
WORKER_RUN_LOST = "worker_run_lost"
ACTIONS = (ENQUEUE, CANCEL, RETRY, BULK_CANCEL, BULK_RETRY, TRIGGER_WORKER, RETENTION, RERUN, RATE_REPORT, *SCHEDULE_ACTIONS, WORKER_RUN_LOST)
_NO_CURSOR = 2**62  # larger than any audit_id: "start from the newest"


@dataclass(frozen=True)
class AuditEntry:
    audit_id: int
    at: datetime
    actor: str
    action: str
    job_id: str | None
    detail: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AuditEntry:
        return cls(
            audit_id=int(row["audit_id"]),
            at=as_utc(row["at"]),  # type: ignore[arg-type]
            actor=row["actor"],
            action=row["action"],
            job_id=row.get("job_id"),
            detail=row.get("detail"),
        )


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def add(tx: Transaction, at: datetime, actor: str, action: str, job_id: str | None = None, detail: str | None = None) -> None:
        """An entry inside the caller's transaction, so it commits with the change it describes."""
        tx.execute("audit_insert", {"at": at, "actor": actor, "action": action, "job_id": job_id, "detail": detail})

    def page(self, limit: int, before_id: int | None = None) -> list[AuditEntry]:
        """Newest first, `limit` entries older than `before_id` (a keyset cursor)."""
        rows = self.db.fetch_all("audit_page", {"before_id": before_id or _NO_CURSOR, "limit": limit})
        return [AuditEntry.from_row(row) for row in rows]

    def count(self) -> int:
        row = self.db.fetch_one("audit_count")
        return int(row["n"]) if row else 0


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    next_before: int | None  # the cursor for the next page; None on the last


class AuditLog:
    """The log as admins read it: a page at a time, or all of it (up to a cap) for export."""

    def __init__(self, db: Database) -> None:
        self.repo = AuditRepository(db)

    def page(self, limit: int, before_id: int | None = None) -> AuditPage:
        entries = self.repo.page(limit + 1, before_id)  # one more than asked says whether there is a next page
        shown = entries[:limit]
        return AuditPage(shown, self.repo.count(), shown[-1].audit_id if len(entries) > limit else None)

    def iterate(self, cap: int, chunk: int = 1000) -> Iterator[AuditEntry]:
        """Up to `cap` entries, newest first, read in keyset chunks (export)."""
        before: int | None = None
        left = cap
        while left > 0:
            entries = self.repo.page(min(chunk, left), before)
            yield from entries
            if len(entries) < min(chunk, left):
                return
            left -= len(entries)
            before = entries[-1].audit_id
