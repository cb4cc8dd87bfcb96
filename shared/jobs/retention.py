"""Retention: delete finished jobs (and their snapshots, history and model-call traces) older than N days.

Off unless RETENTION_DAYS is set. Runs after each timer pass in batches, each its own short
transaction, so the worker and the page are never locked out for long. Queued and running jobs
are never selected. The status counters follow, since the database's own triggers (SQLite) or
indexed view (SQL Server) see every DELETE. Snapshots from before job ids were stored on them
(job_id NULL) are left alone: they cannot be tied to one job for certain.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from shared.clock import utc_now
from shared.db import Database, Transaction
from shared.jobs import audit
from shared.traces.repository import delete_for_jobs as delete_traces_for_jobs

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
    now = clock()
    params = {"cutoff": now - timedelta(days=days), "batch": batch_size}

    def one_batch(tx: Transaction) -> tuple[int, int]:
        deleted = [row["job_id"] for row in tx.fetch_all("retention_delete_jobs", params)]
        if not deleted:
            return 0, 0
        ids = {"job_ids": json.dumps(deleted)}  # captured once: the next two remove exactly these jobs' rows
        tx.execute("retention_delete_events", ids)
        delete_traces_for_jobs(tx, ids["job_ids"])  # model-call traces, model records and ratings follow retention
        return len(deleted), tx.execute("retention_delete_snapshots", ids)

    jobs = snapshots = batches = 0
    more = False
    while batches < max_batches:
        deleted, deleted_snapshots = db.run(one_batch)
        batches += 1
        jobs, snapshots = jobs + deleted, snapshots + deleted_snapshots
        more = deleted == batch_size
        if not more:
            break
    if jobs:
        detail = f"deleted {jobs} finished job(s) and {snapshots} snapshot(s) older than {days} day(s)"
        db.run(lambda tx: audit.record(tx, clock(), ACTOR, audit.RETENTION, None, detail))
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
