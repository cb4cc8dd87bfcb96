"""Retention: delete finished jobs (and their snapshots, history and model-call traces) older than N days.

Off unless RETENTION_DAYS is set. Runs after each timer pass in batches, each its own short
transaction, so the worker and the page are never locked out for long. Queued and running jobs
are never selected. The status counters follow, since the database's own triggers (SQLite) or
indexed view (SQL Server) see every DELETE. Snapshots from before job ids were stored on them
(job_id NULL) are left alone: they cannot be tied to one job for certain.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from shared.clock import utc_now
from shared.db import Database
from shared.jobs import audit
from shared.jobs.audit import AuditRepository
from shared.jobs.repository import JobsRepository

if TYPE_CHECKING:
    from shared.app_context import AppContext

log = logging.getLogger(__name__)
ACTOR = "retention"


@dataclass(frozen=True)
class RetentionResult:
    jobs_deleted: int
    snapshots_deleted: int
    batches: int
    more_left: bool  # the pass stopped at its batch limit; the next one goes on


def purge_finished(db: Database, days: int, batch_size: int, max_batches: int, clock: Callable[[], datetime] = utc_now) -> RetentionResult:
    cutoff = clock() - timedelta(days=days)
    repo = JobsRepository(db)
    jobs = snapshots = batches = 0
    more = False
    while batches < max_batches:
        deleted, deleted_snapshots = repo.delete_finished(cutoff, batch_size)
        batches += 1
        jobs, snapshots = jobs + deleted, snapshots + deleted_snapshots
        more = deleted == batch_size
        if not more:
            break
    if jobs:
        detail = f"deleted {jobs} finished job(s) and {snapshots} snapshot(s) older than {days} day(s)"
        db.run(lambda tx: AuditRepository.add(tx, clock(), ACTOR, audit.RETENTION, None, detail))
        log.info("retention: %s", detail)
    return RetentionResult(jobs, snapshots, batches, more)


MAX_BATCHES_PER_PASS = 20  # bounds the time one timer pass spends here; a backlog drains over passes


def run_after_timer_pass(context: AppContext) -> RetentionResult | None:
    """The timer's hook: does nothing unless RETENTION_DAYS is set, and never breaks the worker."""
    settings = context.settings
    if not settings.retention_days:
        return None
    try:
        return purge_finished(context.db, settings.retention_days, settings.retention_batch_size, MAX_BATCHES_PER_PASS)
    except Exception:
        log.exception("retention cleanup failed; the next timer pass tries again")
        return None
