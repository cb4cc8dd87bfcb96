"""What admins do with jobs, independent of HTTP: list, inspect, enqueue and cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shared.clock import utc_now
from shared.jobs.models import Job, Snapshot
from shared.jobs.periods import job_period
from shared.jobs.repository import JobPage, JobsRepository


class JobNotFound(LookupError):
    pass


class JobAlreadyFinished(RuntimeError):
    def __init__(self, job: Job) -> None:
        super().__init__(f"Job {job.job_id} is already {job.status}")
        self.job = job


@dataclass(frozen=True)
class JobList:
    page: JobPage
    counts: dict[str, int]
    oldest_queued_at: datetime | None


class JobsService:
    def __init__(self, repo: JobsRepository, max_attempts: int, clock: Callable[[], datetime] = utc_now) -> None:
        self.repo = repo
        self.max_attempts = max_attempts
        self.clock = clock

    def list_jobs(self, status: str | None, page: int, limit: int) -> JobList:
        counts = self.repo.counts()
        return JobList(self.repo.list_jobs(status, page, limit, counts), counts, self.repo.oldest_queued_at())

    def detail(self, job_id: str) -> tuple[Job, Snapshot | None]:
        found = self.repo.get_with_snapshot(job_id)
        if found is None:
            raise JobNotFound(job_id)
        return found

    def enqueue(self, scope_type: str, scope_key: str, iso_week: str | None, month_key: str | None, actor: str) -> tuple[Job, bool]:
        job_period(iso_week, month_key)  # the caller validated it; this guards other callers
        return self.repo.enqueue(scope_type, scope_key, iso_week, month_key, actor, self.max_attempts, self.clock())

    def cancel(self, job_id: str, actor: str) -> Job:
        outcome = self.repo.cancel(job_id, f"canceled by {actor}", self.clock())
        if outcome.job is None:
            raise JobNotFound(job_id)
        if not outcome.canceled:
            raise JobAlreadyFinished(outcome.job)
        return outcome.job
