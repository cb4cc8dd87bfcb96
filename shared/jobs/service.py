"""What admins read about jobs, independent of HTTP: a page with its counts (plain or searched),
and one job in full with its history. (Changes to jobs go through shared/jobs/actions.py, which
audits them.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from shared.jobs.history import JobEvent, timeline
from shared.jobs.models import Job, Snapshot
from shared.jobs.repository import JobPage, JobsRepository
from shared.jobs.search import JobFilter, JobSearch, SearchPage


class JobNotFound(LookupError):
    pass


class JobAlreadyFinished(RuntimeError):
    def __init__(self, job: Job) -> None:
        super().__init__(f"Job {job.job_id} is already {job.status}")
        self.job = job


@dataclass(frozen=True)
class JobList:
    page: JobPage
    counts: dict[str, int]  # per status, `total`, and `retrying`: queued jobs waiting for their next attempt
    oldest_queued_at: datetime | None
    models: dict[str, str]  # the model that wrote each listed succeeded job's report, by job id


@dataclass(frozen=True)
class SearchList:
    found: SearchPage
    counts: dict[str, int]  # of all jobs, as the plain list gives them
    oldest_queued_at: datetime | None
    models: dict[str, str]


@dataclass(frozen=True)
class JobDetail:
    job: Job
    snapshot: Snapshot | None
    history: list[JobEvent]  # oldest first: creation, stored changes, the current attempt


class JobsService:
    def __init__(self, repo: JobsRepository, search: JobSearch) -> None:
        self.repo = repo
        self.search_plans = search

    def list_jobs(self, status: str | None, page: int, limit: int, now: datetime) -> JobList:
        counts = self.repo.counts()
        return self._list(self.repo.list_jobs(status, page, limit, counts), self._with_retrying(counts, now))

    def list_waiting_retry(self, now: datetime, page: int, limit: int) -> JobList:
        """The "Retrying" view: queued jobs waiting for their next attempt, with the usual counts (its total is the chip's)."""
        waiting = self.repo.list_waiting_retry(now, page, limit)
        return self._list(waiting, {**self.repo.counts(), "retrying": waiting.total})

    def search(self, where: JobFilter, page: int, limit: int, now: datetime) -> SearchList:
        found = self.search_plans.page(where, page, limit)
        return SearchList(found, self._with_retrying(self.repo.counts(), now), self.repo.oldest_queued_at(), self.repo.models_of(found.jobs))

    def _list(self, page: JobPage, counts: dict[str, int]) -> JobList:
        return JobList(page, counts, self.repo.oldest_queued_at(), self.repo.models_of(page.jobs))

    def _with_retrying(self, counts: dict[str, int], now: datetime) -> dict[str, int]:
        """The counts with the "Retrying" chip's: the queued jobs that wait for a retry (a subset of queued)."""
        return {**counts, "retrying": self.repo.count_waiting_retry(now)}

    def matching(self, where: JobFilter, cap: int) -> Iterator[Job]:
        """Up to `cap` jobs the filter matches, newest first, read in chunks (export)."""
        return self.search_plans.iterate(where, cap)

    def detail(self, job_id: str) -> JobDetail:
        found = self.repo.get_with_snapshot(job_id)
        if found is None:
            raise JobNotFound(job_id)
        job, snapshot = found
        return JobDetail(job, snapshot, timeline(job, self.repo.history(job_id)))
