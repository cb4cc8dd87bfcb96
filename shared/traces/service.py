"""What admins do with model calls, independent of HTTP: read a job's calls, re-run a report with
another model, rate a report, compare two reports of one scope and period, and compare models.

Re-runs and ratings are audited in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.clock import utc_now
from shared.config import Settings
from shared.db import Database, Transaction
from shared.jobs import audit
from shared.jobs.audit import AuditRepository
from shared.jobs.models import Job, Snapshot, Status
from shared.jobs.repository import JobsRepository
from shared.jobs.service import JobNotFound
from shared.metrics.prices import cost_of, snapshot_cost
from shared.metrics.service import success_rate
from shared.reports.generators.choices import available_choices
from shared.reports.model_choice import ModelChoice
from shared.snapshots.compare import compare_reports
from shared.traces.repository import JobModel, Rating, StoredCall, TracesRepository, has_report, job_in, set_model_choice, set_rating

RERUNNABLE = (Status.SUCCEEDED, Status.FAILED)
RATINGS = ("good", "bad")
MAX_NOTE = 1000


class NotAllowed(RuntimeError):
    """The job cannot take this action now; `code` names why for the API."""

    def __init__(self, code: str, message: str, job: Job | None = None) -> None:
        super().__init__(message)
        self.code, self.job = code, job


@dataclass(frozen=True)
class JobCalls:
    job: Job
    calls: list[StoredCall]
    model: JobModel | None
    reruns: list[str]
    rating: Rating | None
    same_period: list[dict[str, Any]]  # other reports of this scope and period, for comparing


@dataclass(frozen=True)
class ModelRow:
    generator: str
    model: str | None
    prompt_version: str | None
    succeeded: int
    failed: int
    gen_ms_avg: float | None
    prompt_tokens: int
    completion_tokens: int
    cost: float | None
    rated: int
    rated_good: int

    @property
    def success_rate(self) -> float | None:
        return success_rate(self.succeeded, self.failed)

    @property
    def good_share(self) -> float | None:
        return round(self.rated_good / self.rated, 4) if self.rated else None


def _scope(job: Job) -> dict[str, Any]:
    return {"scope_type": job.scope_type, "scope_key": job.scope_key, "iso_week": job.iso_week, "month_key": job.month_key}


class ModelCallsService:
    def __init__(self, db: Database, settings: Settings, clock: Callable[[], datetime] = utc_now) -> None:
        self.db, self.settings, self.clock = db, settings, clock
        self.jobs, self.traces = JobsRepository(db), TracesRepository(db)

    def choices(self) -> tuple[ModelChoice, ...]:
        return available_choices(self.settings)

    def _report(self, job_id: str) -> tuple[Job, Snapshot | None]:
        found = self.jobs.get_with_snapshot(job_id)
        if found is None:
            raise JobNotFound(job_id)
        return found

    def job_calls(self, job_id: str) -> JobCalls:
        job, _ = self._report(job_id)
        same = [row for row in self.traces.same_period_reports(_scope(job)) if row["job_id"] != job_id]
        return JobCalls(job, self.traces.calls(job_id), self.traces.job_model(job_id), self.traces.reruns(job_id), self.traces.rating(job_id), same)

    def rerun(self, job_id: str, choice_key: str, actor: str) -> Job:
        """A new queued job for the same scope and period, made with the chosen model, linked to the original."""
        choice = next((choice for choice in self.choices() if choice.key == choice_key), None)

        def write(tx: Transaction) -> Job:
            original = job_in(tx, job_id)
            if original is None:
                raise JobNotFound(job_id)
            if choice is None:
                raise NotAllowed("unknown_model", f"'{choice_key}' is not one of the configured models: {', '.join(c.key for c in self.choices())}")
            if original.status not in RERUNNABLE:
                raise NotAllowed("not_finished", f"Job {job_id} is {original.status}; only succeeded or failed jobs can be re-run", original)
            now = self.clock()
            job, created = JobsRepository.enqueue_job(
                tx, original.scope_type, original.scope_key, original.iso_week, original.month_key, actor, self.settings.worker_max_attempts, now
            )
            if not created:
                raise NotAllowed("duplicate_active", f"Job {job.job_id} is already {job.status} for this scope and period", job)
            set_model_choice(tx, job.job_id, choice.key, original.job_id, now)
            AuditRepository.add(tx, now, actor, audit.RERUN, job.job_id, f"re-run of {original.job_id} with {choice.key}")
            return job

        return self.db.run(write)

    def rate(self, job_id: str, rating: str, note: str | None, actor: str) -> Rating:
        def write(tx: Transaction) -> Rating:
            job = job_in(tx, job_id)
            if job is None:
                raise JobNotFound(job_id)
            if not has_report(tx, job):
                raise NotAllowed("no_report", f"Job {job_id} has no report to rate")
            now = self.clock()
            set_rating(tx, job_id, rating, note, actor, now)
            AuditRepository.add(tx, now, actor, audit.RATE_REPORT, job_id, f"{rating}: {note}" if note else rating)
            return Rating(rating, note, actor, now)

        return self.db.run(write)

    def compare(self, left_id: str, right_id: str) -> dict[str, Any]:
        sides = [self._report(job_id) for job_id in (left_id, right_id)]
        for job, snapshot in sides:
            if snapshot is None:
                raise NotAllowed("no_report", f"Job {job.job_id} has no report to compare")
        (left_job, left), (right_job, right) = sides
        if _scope(left_job) != _scope(right_job):
            raise NotAllowed("not_comparable", "Only two reports of the same scope and period can be compared")
        assert left is not None and right is not None  # checked above
        return {
            "scope_type": left_job.scope_type,
            "scope_key": left_job.scope_key,
            "period": left_job.period,
            "left": self._side(left_job, left),
            "right": self._side(right_job, right),
            **compare_reports(left.analysis(), right.analysis()),
        }

    def _side(self, job: Job, snapshot: Snapshot) -> dict[str, Any]:
        recorded = self.traces.job_model(job.job_id)
        rating = self.traces.rating(job.job_id)
        return {
            "job_id": job.job_id,
            "created_at": snapshot.created_at,
            "model": snapshot.gen_model,
            "model_choice": recorded.model_choice if recorded else None,
            "prompt_version": snapshot.prompt_version,
            "prompt_tokens": snapshot.prompt_tokens,
            "completion_tokens": snapshot.completion_tokens,
            "total_tokens": snapshot.total_tokens,
            "cost": snapshot_cost(self.settings.model_prices, snapshot),
            "gen_ms": snapshot.gen_ms,
            "rating": rating.rating if rating else None,
        }

    def model_comparison(self, days: int) -> list[ModelRow]:
        until = self.clock()
        rows = self.traces.comparison(until - timedelta(days=days), until)
        return [
            ModelRow(
                generator=row["generator"],
                model=row.get("model"),
                prompt_version=row.get("prompt_version"),
                succeeded=int(row["succeeded"] or 0),
                failed=int(row["failed"] or 0),
                gen_ms_avg=round(int(row["gen_ms_sum"]) / int(row["gen_count"]), 1) if row["gen_count"] else None,
                prompt_tokens=int(row["prompt_tokens"]),
                completion_tokens=int(row["completion_tokens"]),
                cost=cost_of(self.settings.model_prices, row.get("model"), int(row["prompt_tokens"]), int(row["completion_tokens"])),
                rated=int(row["rated"] or 0),
                rated_good=int(row["rated_good"] or 0),
            )
            for row in rows
        ]
