"""What admins read about jobs, independent of HTTP: a page with its counts, and one job in full.
(Changes to jobs go through shared/jobs/actions.py, which audits them.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.jobs.models import Job, Snapshot
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
    def __init__(self, repo: JobsRepository) -> None:
        self.repo = repo

    def list_jobs(self, status: str | None, page: int, limit: int) -> JobList:
        counts = self.repo.counts()
        return JobList(self.repo.list_jobs(status, page, limit, counts), counts, self.repo.oldest_queued_at())

    def detail(self, job_id: str) -> tuple[Job, Snapshot | None]:
        found = self.repo.get_with_snapshot(job_id)
        if found is None:
            raise JobNotFound(job_id)
        return found
