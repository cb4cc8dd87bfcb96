"""Admin changes to jobs, one job or many: enqueue, cancel and retry, each with its history event
and audit entry in the same transaction as the change.

Bulk actions act on at most BULK_CAP jobs, in chunks of CHUNK per transaction so that the worker
is never locked out for long, and report every job they skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from shared.clock import utc_now
from shared.db import Database, Transaction
from shared.jobs import audit
from shared.jobs.audit import AuditRepository
from shared.jobs.history import changed
from shared.jobs.models import TRANSITIONS, Action, Job, Status
from shared.jobs.repository import JobsRepository
from shared.jobs.search import JobFilter, JobSearch
from shared.jobs.wakeups import runnable

BULK_CAP = 1000
# Each job in a chunk is an update, a history row and an audit row, about three round trips to
# Azure SQL, and its status change keeps a row of the indexed counts view X-locked until commit,
# which the worker's claims and completions also need: 25 jobs keep a chunk well under 100 ms.
CHUNK = 25
CANCEL, RETRY = Action.CANCEL, Action.RETRY  # what an admin can do to a job that exists, one or in bulk


@dataclass(frozen=True)
class Skipped:
    job_id: str
    code: str  # not_found | not_eligible | duplicate_active
    reason: str


@dataclass
class BulkResult:
    action: str
    changed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    capped: bool = False

    def summary(self) -> str:
        text = f"{len(self.changed)} changed, {len(self.skipped)} skipped"
        return text + (f" (capped at {BULK_CAP})" if self.capped else "")


@dataclass(frozen=True)
class Outcome:
    job: Job | None
    skipped: Skipped | None = None


class JobActions:
    def __init__(self, db: Database, max_attempts: int, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.max_attempts = max_attempts
        self.clock = clock
        self.search = JobSearch(db)

    # --- one job -----------------------------------------------------------------------------

    def enqueue(self, scope_type: str, scope_key: str, iso_week: str | None, month_key: str | None, actor: str) -> tuple[Job, bool]:
        def write(tx: Transaction) -> tuple[Job, bool]:
            now = self.clock()
            job, created = JobsRepository.enqueue_job(tx, scope_type, scope_key, iso_week, month_key, actor, self.max_attempts, now)
            period = iso_week or month_key or ""
            detail = f"{scope_type} {scope_key} {period}".strip() + ("" if created else " (already active; nothing new queued)")
            AuditRepository.add(tx, now, actor, audit.ENQUEUE, job.job_id, detail)
            return job, created

        return self.db.run(write)

    def cancel(self, job_id: str, actor: str) -> Outcome:
        return self.db.run(lambda tx: self._one(tx, CANCEL, job_id, actor, audited=True))

    def retry(self, job_id: str, actor: str) -> Outcome:
        return self.db.run(lambda tx: self._one(tx, RETRY, job_id, actor, audited=True))

    # --- many jobs ---------------------------------------------------------------------------

    def bulk(self, action: Action, job_ids: list[str], actor: str, capped: bool = False, note: str = "") -> BulkResult:
        """Cancel or retry each job; one audit entry for the whole action."""
        result = BulkResult(action, capped=capped)
        unique = list(dict.fromkeys(job_ids))[:BULK_CAP]
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]

            def write(tx: Transaction, chunk: list[str] = chunk) -> list[Outcome]:
                return [self._one(tx, action, job_id, actor, audited=False) for job_id in chunk]

            for job_id, outcome in zip(chunk, self.db.run(write), strict=True):
                if outcome.skipped:
                    result.skipped.append(outcome.skipped)
                else:
                    result.changed.append(job_id)
        name = audit.BULK_CANCEL if action == CANCEL else audit.BULK_RETRY
        self.db.run(lambda tx: AuditRepository.add(tx, self.clock(), actor, name, None, result.summary() + (f"; {note}" if note else "")))
        return result

    def bulk_matching(self, action: Action, where: JobFilter, actor: str) -> BulkResult:
        """The bulk action on every job the filter matches that it can change (up to BULK_CAP)."""
        ids, capped = self.eligible(action, where)
        return self.bulk(action, ids, actor, capped, where.describe())

    def eligible(self, action: Action, where: JobFilter) -> tuple[list[str], bool]:
        """Up to BULK_CAP ids of jobs the action can change, newest first, and whether more exist."""
        statuses = [status for status in TRANSITIONS[action].sources if where.status in (None, status)]
        ids: list[str] = []
        for status in statuses:
            narrowed = JobFilter(status, where.q, where.scope_type, where.created_from, where.created_to)
            ids += [job.job_id for job in self.search.iterate(narrowed, BULK_CAP + 1 - len(ids))]
        return ids[:BULK_CAP], len(ids) > BULK_CAP

    # --- the change itself -------------------------------------------------------------------

    def _one(self, tx: Transaction, action: Action, job_id: str, actor: str, audited: bool) -> Outcome:
        job = JobsRepository.get_job(tx, job_id)
        if job is None:
            return Outcome(None, Skipped(job_id, "not_found", "no such job"))
        transition = TRANSITIONS[action]
        if not transition.allows(job.status):
            allowed = " or ".join(transition.sources)
            return Outcome(job, Skipped(job_id, "not_eligible", f"it is {job.status}; only {allowed} jobs can be {action_past(action)}"))
        now = self.clock()
        reason = f"{action_past(action)} by {actor}"
        if action == CANCEL:
            done = JobsRepository.cancel_job(tx, job_id, reason, now)
        else:
            active = JobsRepository.find_active_job(tx, job.scope_type, job.scope_key, job.iso_week, job.month_key)
            if active is not None:
                return Outcome(job, Skipped(job_id, "duplicate_active", f"job {active.job_id} is already {active.status} for the same scope and period"))
            JobsRepository.archive_attempt(tx, job)
            done = JobsRepository.retry_finished_job(tx, job_id, reason, self.max_attempts)
        if not done:  # the worker finished it between our read and write (SQL Server; SQLite holds the lock)
            return Outcome(job, Skipped(job_id, "not_eligible", "it changed state meanwhile"))
        JobsRepository.record_event(tx, job_id, changed(action, job.status, now, actor, reason))
        if transition.target == Status.QUEUED:
            runnable(tx, job_id)  # a retry: the queue trigger starts it once this commits
        if audited:
            AuditRepository.add(tx, now, actor, audit.CANCEL if action == CANCEL else audit.RETRY, job_id, f"was {job.status}")
        return Outcome(JobsRepository.get_job(tx, job_id) or job)


def action_past(action: Action) -> str:
    return "canceled" if action == CANCEL else "retried"
