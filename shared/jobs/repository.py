"""Every read and write of jobs, their snapshots and their history, through named queries; no SQL lives here."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from shared.clock import as_utc, iso_z
from shared.db import Database, Transaction
from shared.jobs import audit
from shared.jobs.audit import AuditRepository
from shared.jobs.history import JobEvent, changed, current_attempt
from shared.jobs.models import STATUSES, TRANSITIONS, Action, Job, Snapshot, Status
from shared.jobs.paging import JobPages
from shared.jobs.wakeups import runnable
from shared.traces.repository import TracesRepository

# The statement that makes each change in models.TRANSITIONS; tests/db/test_transitions.py reads
# each one's WHERE and SET, in both dialects, against the table.
TRANSITION_QUERIES: dict[Action, str] = {
    Action.ENQUEUE: "insert_job",
    Action.CLAIM: "claim_jobs",
    Action.COMPLETE: "complete_job",
    Action.FAIL: "fail_job",
    Action.BACKOFF: "retry_job_later",
    Action.RELEASE: "release_job",
    Action.REAP_REQUEUE: "requeue_expired_job",
    Action.REAP_FAIL: "fail_expired_job",
    Action.CANCEL: "cancel_job",
    Action.RETRY: "retry_finished_job",
}
CLAIM_ONE_QUERY = "claim_job"  # Action.CLAIM too, for the one job a queue message names


@dataclass(frozen=True)
class JobPage:
    jobs: list[Job]
    total: int  # jobs matching the filter, not just this page


@dataclass(frozen=True)
class CancelOutcome:
    job: Job | None  # None: no such job
    canceled: bool  # False: it had already finished, and `job.status` says how


@dataclass(frozen=True)
class ClaimOne:
    """claim_one's answer: the job now running with our token, or why nothing was claimed."""

    job: Job | None
    refused: str | None = None  # NOT_FOUND, NOT_QUEUED, NOT_DUE or AT_LIMIT
    status: str | None = None  # the job's status when NOT_QUEUED
    due_in_seconds: float = 0.0  # NOT_DUE: how long until it is


NOT_FOUND, NOT_QUEUED, NOT_DUE, AT_LIMIT = "not_found", "not_queued", "not_due", "at_limit"
NO_GLOBAL_LIMIT = 2**31 - 1  # tools and tests that claim without the app's WORKER_GLOBAL_CONCURRENCY


@dataclass(frozen=True)
class GeneratedReport:
    analysis_json: str
    rows_used: int
    gen_model: str
    gen_ms: int
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    prompt_version: str | None = None


def new_job_id() -> str:
    return uuid.uuid4().hex


class JobsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.pages = JobPages(db)

    # --- reads -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Jobs per status plus `total`, from the counters the database keeps."""
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for row in self.db.fetch_all("job_counts"):
            if row["status"] in counts:
                counts[row["status"]] = int(row["n"])
        counts["total"] = sum(counts[status] for status in STATUSES)
        return counts

    def oldest_queued_at(self) -> datetime | None:
        row = self.db.fetch_one("oldest_queued")
        return as_utc(row["created_at"]) if row else None

    def list_jobs(self, status: str | None, page: int, limit: int, counts: dict[str, int] | None = None) -> JobPage:
        """One page, newest first; ties in created_at are broken by job_id so pages never overlap."""
        counts = counts or self.counts()
        total = counts[status] if status else counts["total"]
        return JobPage(self.pages.read(status, (page - 1) * limit, limit, total), total)

    def list_waiting_retry(self, now: datetime, page: int, limit: int) -> JobPage:
        """Queued jobs whose next attempt is still ahead (after a transient failure), the soonest first."""
        params = {"now": now, "offset": (page - 1) * limit, "limit": limit}
        return JobPage([Job.from_row(job) for job in self.db.fetch_all("list_jobs_waiting_retry", params)], self.count_waiting_retry(now))

    def count_waiting_retry(self, now: datetime) -> int:
        row = self.db.fetch_one("count_jobs_waiting_retry", {"now": now})
        return int(row["n"]) if row else 0

    def models_of(self, jobs: list[Job]) -> dict[str, str]:
        """The model that wrote each succeeded job's report, by job id (the newest snapshot's)."""
        ids = [job.job_id for job in jobs if job.status == Status.SUCCEEDED]
        if not ids:
            return {}
        return {row["job_id"]: row["gen_model"] for row in self.db.fetch_all("snapshot_models", {"job_ids": json.dumps(ids)})}

    def get(self, job_id: str) -> Job | None:
        row = self.db.fetch_one("get_job", {"job_id": job_id})
        return Job.from_row(row) if row else None

    def get_with_snapshot(self, job_id: str) -> tuple[Job, Snapshot | None] | None:
        def read(tx: Transaction) -> tuple[Job, Snapshot | None] | None:
            row = tx.fetch_one("get_job", {"job_id": job_id})
            if row is None:
                return None
            job = Job.from_row(row)
            snapshot_row = tx.fetch_one("get_job_snapshot", _period_params(job) | {"job_id": job.job_id})
            return job, Snapshot.from_row(snapshot_row) if snapshot_row else None

        return self.db.run(read, write=False)

    # --- admin writes ------------------------------------------------------------------------

    def enqueue(
        self,
        scope_type: str,
        scope_key: str,
        iso_week: str | None,
        month_key: str | None,
        created_by: str | None,
        max_attempts: int,
        now: datetime,
    ) -> tuple[Job, bool]:
        """A new queued job, or the queued/running one that already covers this scope and period."""
        return self.db.run(lambda tx: self.enqueue_job(tx, scope_type, scope_key, iso_week, month_key, created_by, max_attempts, now))

    def cancel(self, job_id: str, reason: str, now: datetime) -> CancelOutcome:
        def write(tx: Transaction) -> CancelOutcome:
            canceled = self.cancel_job(tx, job_id, reason, now)
            return CancelOutcome(self.get_job(tx, job_id), canceled)

        return self.db.run(write)

    # --- worker writes (fenced on the attempt: only the claim's own token may change the job) ---

    def claim(self, worker_id: str, limit: int, lease_seconds: int, now: datetime, global_limit: int = NO_GLOBAL_LIMIT) -> list[Job]:
        """Up to `limit` queued jobs, oldest first, each now running with a new claim token, while
        fewer than `global_limit` jobs run in all (every process and trigger counts)."""
        params = {"worker_id": worker_id, "now": now, "lease_seconds": lease_seconds, "limit": limit, "global_limit": global_limit}
        rows = self.db.run(lambda tx: tx.fetch_all(TRANSITION_QUERIES[Action.CLAIM], params))
        return sorted((Job.from_row(row) for row in rows), key=lambda job: (job.created_at, job.job_id))

    def claim_one(self, job_id: str, worker_id: str, lease_seconds: int, now: datetime, global_limit: int) -> ClaimOne:
        """This job, if it is queued and due and fewer than `global_limit` jobs run; else why not."""
        params = {"job_id": job_id, "worker_id": worker_id, "now": now, "lease_seconds": lease_seconds, "global_limit": global_limit}

        def write(tx: Transaction) -> ClaimOne:
            row = tx.fetch_one(CLAIM_ONE_QUERY, params)
            if row is not None:
                return ClaimOne(Job.from_row(row))
            why = tx.fetch_one("claim_refusal", {"job_id": job_id, "now": now})
            if why is None:
                return ClaimOne(None, NOT_FOUND)
            if why["status"] != Status.QUEUED:
                return ClaimOne(None, NOT_QUEUED, status=why["status"])
            if why["not_due"]:
                run_after = as_utc(why["run_after"])
                return ClaimOne(None, NOT_DUE, due_in_seconds=max((run_after - now).total_seconds(), 0.0) if run_after else 0.0)
            return ClaimOne(None, AT_LIMIT)

        return self.db.run(write)

    def running_count(self) -> int:
        row = self.db.fetch_one("running_count")
        return int(row["n"]) if row else 0

    def stale_queued(self, before: datetime, limit: int) -> list[str]:
        """Queued jobs due since before `before`: a lost message, or a row another application inserted."""
        return [str(row["job_id"]) for row in self.db.fetch_all("stale_queued_jobs", {"before": before, "limit": limit})]

    def renew_lease(self, claimed: Job, lease_seconds: int, now: datetime) -> bool:
        """Extend the lease; False when this attempt is no longer the job's (canceled, reaped, retried)."""
        params = _fence(claimed) | {"now": now, "lease_seconds": lease_seconds}
        return self.db.execute("renew_lease", params) == 1

    def complete(self, claimed: Job, report: GeneratedReport, now: datetime) -> bool:
        """Mark succeeded and store the snapshot in one transaction; False if the attempt was not current."""

        def write(tx: Transaction) -> bool:
            if tx.execute(TRANSITION_QUERIES[Action.COMPLETE], _fence(claimed) | {"now": now, "reason": "ok"}) != 1:
                return False
            tx.execute(
                "insert_snapshot",
                _period_params(claimed)
                | {
                    "job_id": claimed.job_id,
                    "analysis_json": report.analysis_json,
                    "created_at": now,
                    "rows_used": report.rows_used,
                    "gen_model": report.gen_model,
                    "gen_ms": report.gen_ms,
                    "prompt_tokens": report.prompt_tokens,
                    "completion_tokens": report.completion_tokens,
                    "prompt_version": report.prompt_version,
                },
            )
            return True

        return self.db.run(write)

    def fail(self, claimed: Job, reason: str, error_detail: str | None, now: datetime) -> bool:
        params = _fence(claimed) | {"now": now, "reason": reason, "error_detail": error_detail}
        return self.db.execute(TRANSITION_QUERIES[Action.FAIL], params) == 1

    def retry_later(self, claimed: Job, delay_seconds: float, reason: str, error_detail: str | None, now: datetime) -> bool:
        """Back to queued after `delay_seconds`; the attempt that ended is kept in the job's history."""

        def write(tx: Transaction) -> bool:
            params = _fence(claimed) | {"now": now, "delay_ms": int(delay_seconds * 1000), "reason": reason, "error_detail": error_detail}
            if tx.execute(TRANSITION_QUERIES[Action.BACKOFF], params) != 1:
                return False
            self._record_lost_attempt(tx, Action.BACKOFF, claimed.job_id, claimed.started_at, claimed.worker_id, now, claimed.worker_id, reason)
            runnable(tx, claimed.job_id, delay_seconds)
            return True

        return self.db.run(write)

    def release(self, claimed: Job) -> bool:
        """Give the job back unfinished without spending an attempt (the worker is stopping)."""

        def write(tx: Transaction) -> bool:
            if tx.execute(TRANSITION_QUERIES[Action.RELEASE], _fence(claimed)) != 1:
                return False
            runnable(tx, claimed.job_id)
            return True

        return self.db.run(write)

    def reap_expired(self, now: datetime, retry_at: datetime, limit: int = 500) -> tuple[int, int]:
        """Requeue jobs whose worker stopped renewing its lease, or fail them when out of attempts.

        Each lost attempt is written to the job's history, so its attempts always match the rows shown.
        """

        def write(tx: Transaction) -> tuple[int, int]:
            requeued = failed = 0
            lost: dict[str, _LostPass] = {}  # by worker id: the passes whose leases these were
            for row in tx.fetch_all("expired_leases", {"now": now, "limit": limit}):
                fence = {"job_id": row["job_id"], "claim_token": row["claim_token"], "now": now}
                attempt = f"attempt {row['attempts']} of {row['max_attempts']}"
                started_at = as_utc(row["started_at"])
                if row["attempts"] < row["max_attempts"]:
                    reason = f"worker lost: lease expired ({attempt}); retrying"
                    if tx.execute(TRANSITION_QUERIES[Action.REAP_REQUEUE], fence | {"run_after": retry_at, "reason": reason}) != 1:
                        continue
                    self._record_lost_attempt(tx, Action.REAP_REQUEUE, row["job_id"], started_at, row["worker_id"], now, REAPER, reason)
                    runnable(tx, str(row["job_id"]), (retry_at - now).total_seconds())
                    requeued += 1
                else:
                    reason = f"worker lost: lease expired ({attempt}; no attempts left)"
                    if tx.execute(TRANSITION_QUERIES[Action.REAP_FAIL], fence | {"reason": reason}) != 1:
                        continue
                    failed += 1
                if row["worker_id"] and started_at is not None:
                    lost.setdefault(row["worker_id"], _LostPass(started_at)).add(row["job_id"], started_at)
            for worker_id, jobs in lost.items():
                self._audit_lost_pass(tx, worker_id, jobs, now)
            return requeued, failed

        return self.db.run(write)

    # --- for other services (worker health, retention) -----------------------------------------

    def running_jobs(self, limit: int) -> list[dict[str, Any]]:
        """Running jobs, the most overdue lease first (worker health)."""
        return self.db.fetch_all("health_running_jobs", {"limit": limit})

    def history(self, job_id: str) -> list[JobEvent]:
        return self.db.run(lambda tx: self.stored_events(tx, job_id), write=False)

    def delete_finished(self, cutoff: datetime, batch: int) -> tuple[int, int]:
        """One batch of finished jobs older than `cutoff` deleted with their history and snapshots:
        (jobs, snapshots) deleted, in one short transaction."""

        def write(tx: Transaction) -> tuple[int, int]:
            deleted = [row["job_id"] for row in tx.fetch_all("retention_delete_jobs", {"cutoff": cutoff, "batch": batch})]
            if not deleted:
                return 0, 0
            ids = {"job_ids": json.dumps(deleted)}  # captured once: the next two remove exactly these jobs' rows
            tx.execute("retention_delete_events", ids)
            TracesRepository.delete_for_jobs(tx, ids["job_ids"])  # model-call traces, model records and ratings follow retention
            return len(deleted), tx.execute("retention_delete_snapshots", ids)

        return self.db.run(write)

    # --- steps inside a caller's transaction (the admin actions and schedules own it) ----------

    @staticmethod
    def get_job(tx: Transaction, job_id: str) -> Job | None:
        row = tx.fetch_one("get_job", {"job_id": job_id})
        return Job.from_row(row) if row else None

    @staticmethod
    def find_active_job(tx: Transaction, scope_type: str, scope_key: str, iso_week: str | None, month_key: str | None) -> Job | None:
        """The queued or running job for this scope and period, if any (at most one is active)."""
        row = tx.fetch_one("find_active_job", {"scope_type": scope_type, "scope_key": scope_key, "iso_week": iso_week, "month_key": month_key})
        return Job.from_row(row) if row else None

    @staticmethod
    def enqueue_job(
        tx: Transaction,
        scope_type: str,
        scope_key: str,
        iso_week: str | None,
        month_key: str | None,
        created_by: str | None,
        max_attempts: int,
        now: datetime,
    ) -> tuple[Job, bool]:
        """A new queued job, or the queued/running one that already covers this scope and period."""
        existing = JobsRepository.find_active_job(tx, scope_type, scope_key, iso_week, month_key)
        if existing:
            return existing, False
        job = Job(
            job_id=new_job_id(),
            scope_type=scope_type,
            scope_key=scope_key,
            iso_week=iso_week,
            month_key=month_key,
            status=TRANSITIONS[Action.ENQUEUE].target,
            reason=None,
            created_at=now,
            started_at=None,
            finished_at=None,
            created_by=created_by,
            max_attempts=max_attempts,
        )
        JobsRepository.insert_job(tx, job)
        runnable(tx, job.job_id)  # the queue trigger starts it once this commits
        return job, True

    @staticmethod
    def insert_job(tx: Transaction, job: Job) -> None:
        tx.execute(
            TRANSITION_QUERIES[Action.ENQUEUE],
            {
                "job_id": job.job_id,
                "scope_type": job.scope_type,
                "scope_key": job.scope_key,
                "iso_week": job.iso_week,
                "month_key": job.month_key,
                "status": job.status,
                "reason": job.reason,
                "created_at": job.created_at,
                "started_at": job.started_at,
                "finished_at": job.finished_at,
                "created_by": job.created_by,
                "attempts": job.attempts,
                "max_attempts": job.max_attempts,
                "worker_id": job.worker_id,
                "lease_expires_at": job.lease_expires_at,
                "error_detail": job.error_detail,
            },
        )

    @staticmethod
    def cancel_job(tx: Transaction, job_id: str, reason: str, now: datetime) -> bool:
        """False: the job was not queued or running by the time the update ran."""
        return tx.execute(TRANSITION_QUERIES[Action.CANCEL], {"job_id": job_id, "now": now, "reason": reason}) == 1

    @staticmethod
    def retry_finished_job(tx: Transaction, job_id: str, reason: str, extra_attempts: int) -> bool:
        """Queue a failed or canceled job again with `extra_attempts` more; False if it was neither."""
        return tx.execute(TRANSITION_QUERIES[Action.RETRY], {"job_id": job_id, "reason": reason, "extra_attempts": extra_attempts}) == 1

    @staticmethod
    def record_event(tx: Transaction, job_id: str, event: JobEvent) -> None:
        tx.execute(
            "job_event_insert",
            {
                "job_id": job_id,
                "at": event.at,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "actor": event.actor,
                "detail": event.detail,
            },
        )

    @staticmethod
    def stored_events(tx: Transaction, job_id: str) -> list[JobEvent]:
        return [JobEvent.from_row(row) for row in tx.fetch_all("job_events_for_job", {"job_id": job_id})]

    @staticmethod
    def archive_attempt(tx: Transaction, job: Job) -> None:
        """Store the attempt the job row shows before a retry resets the row."""
        for event in current_attempt(job, JobsRepository.stored_events(tx, job.job_id)):
            JobsRepository.record_event(tx, job.job_id, replace(event, stored=True))

    @staticmethod
    def _audit_lost_pass(tx: Transaction, worker_id: str, jobs: _LostPass, now: datetime) -> None:
        """A worker pass that never finished (killed mid-pass) is audited once, when its leases are first reaped."""
        row = tx.fetch_one("reaped_worker_run", {"worker_id": worker_id, "claimed_at": jobs.first_claim})
        if row is None or row["finished_at"] is not None:
            return  # another application's worker, or a pass that finished and recorded its own error
        started = iso_z(as_utc(row["started_at"]))
        note = f"killed mid-pass: never finished; its leases expired and the lease reaper took them at {iso_z(now)}"
        if tx.execute("mark_worker_run_lost", {"run_id": row["run_id"], "error": note}) != 1:
            return  # already audited by an earlier reaping
        reaped = ", ".join(jobs.job_ids[:_LISTED_JOBS]) + (f" and {len(jobs.job_ids) - _LISTED_JOBS} more" if len(jobs.job_ids) > _LISTED_JOBS else "")
        detail = f"run {row['run_id']} ({row['trigger']} pass started {started} on {worker_id}) {note}; {len(jobs.job_ids)} job(s) reaped: {reaped}"
        AuditRepository.add(tx, now, REAPER, audit.WORKER_RUN_LOST, jobs.job_ids[0] if len(jobs.job_ids) == 1 else None, detail)

    @staticmethod
    def _record_lost_attempt(
        tx: Transaction,
        action: Action,
        job_id: str,
        started_at: datetime | None,
        worker_id: str | None,
        now: datetime,
        actor: str | None,
        reason: str,
    ) -> None:
        """An attempt that ends back in the queue leaves the job row; keep its start and end as history."""
        if started_at is not None:
            JobsRepository.record_event(tx, job_id, changed(Action.CLAIM, Status.QUEUED, started_at, worker_id, None))
        JobsRepository.record_event(tx, job_id, changed(action, Status.RUNNING, now, actor, reason))


REAPER = "lease reaper"
_LISTED_JOBS = 5  # a lost pass's audit entry names this many of its jobs


@dataclass
class _LostPass:
    """The jobs one dead pass held, and its earliest claim (the pass started before it)."""

    first_claim: datetime
    job_ids: list[str] = field(default_factory=list)

    def add(self, job_id: str, claimed_at: datetime) -> None:
        self.job_ids.append(job_id)
        self.first_claim = min(self.first_claim, claimed_at)


def _fence(claimed: Job) -> dict[str, Any]:
    return {"job_id": claimed.job_id, "claim_token": claimed.claim_token}


def _period_params(job: Job) -> dict[str, Any]:
    return {"scope_type": job.scope_type, "scope_key": job.scope_key, "iso_week": job.iso_week, "month_key": job.month_key}
