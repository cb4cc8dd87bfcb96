"""Worker health from the worker-run records and the running jobs, as of one moment.

- last run: the latest pass of any trigger, with its counts and how long it took;
- next run: the timer's next firing from WORKER_SCHEDULE;
- behind schedule: the timer's latest firing has no timer pass (the host is down or stopped);
- problem runs: recent passes that recorded an error or never finished;
- running jobs: how long since each lease was renewed, and which leases have expired (stuck: the
  worker holding them stopped; the next pass requeues or fails them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.clock import as_utc, utc_now
from shared.config import Settings
from shared.db import Database
from shared.health.schedule import InvalidSchedule, latest_run, next_run
from shared.jobs.models import Status
from shared.jobs.repository import JobsRepository
from shared.notify.outbox import DeliveryFailure, recent_delivery_failures
from shared.queue.dispatcher import JobDispatcher
from shared.queue.stats import QueueHealth, queue_health
from shared.worker.runs import WorkerRun, WorkerRunsRepository

RECENT_RUNS = 10
PROBLEM_RUNS = 10
PROBLEM_DAYS = 7
RUNNING_JOBS = 50
DELIVERY_FAILURES = 10
# Azure fires a timer within seconds of its schedule; past this a missing timer pass is news.
SCHEDULE_GRACE = timedelta(minutes=1)
EARLY_FIRING = timedelta(seconds=5)  # a timer may fire a moment before its second
# A pass is over by budget + model timeout + finish margin; past this with no finish it died.
FINISH_SLACK = timedelta(seconds=70)


@dataclass(frozen=True)
class RunningJob:
    row: dict[str, Any]
    started_at: datetime | None
    renewed_at: datetime | None  # last heartbeat, or the claim when none yet
    lease_expires_at: datetime | None

    def stuck(self, now: datetime) -> bool:
        return self.lease_expires_at is not None and self.lease_expires_at < now


@dataclass(frozen=True)
class Schedule:
    expression: str
    next_run_at: datetime | None
    last_due_at: datetime | None  # the latest firing whose pass should have started by now
    error: str | None


@dataclass(frozen=True)
class Health:
    now: datetime
    schedule: Schedule
    behind_schedule: bool | None  # None: no timer pass recorded yet, so nothing to compare
    last_run: WorkerRun | None
    recent_runs: list[WorkerRun]
    problem_runs: list[WorkerRun]
    unfinished_before: datetime  # a run started before this with no finish is reported unfinished
    running_total: int
    running_limit: int  # WORKER_GLOBAL_CONCURRENCY: the claim never lets running_total pass it
    running: list[RunningJob]
    delivery_failures: list[DeliveryFailure]
    queue: QueueHealth | None  # None: JOB_DISPATCH=timer, no queue in use


class HealthService:
    def __init__(self, db: Database, settings: Settings, clock: Callable[[], datetime] = utc_now, dispatcher: JobDispatcher | None = None) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.dispatcher = dispatcher

    def health(self) -> Health:
        now = self.clock()
        schedule = self._schedule(now)
        unfinished_before = now - self._longest_pass()
        runs = WorkerRunsRepository(self.db)
        jobs = JobsRepository(self.db)
        recent = runs.list_recent(RECENT_RUNS)
        return Health(
            now=now,
            schedule=schedule,
            behind_schedule=_behind(schedule, runs.last_timer_run()),
            last_run=recent[0] if recent else None,
            recent_runs=recent,
            problem_runs=runs.problem_runs(now - timedelta(days=PROBLEM_DAYS), unfinished_before, PROBLEM_RUNS),
            unfinished_before=unfinished_before,
            running_total=jobs.counts()[Status.RUNNING],
            running_limit=self.settings.worker_global_concurrency,
            running=[_running_job(row) for row in jobs.running_jobs(RUNNING_JOBS)],
            delivery_failures=recent_delivery_failures(self.db, DELIVERY_FAILURES),
            queue=queue_health(self.dispatcher) if self.dispatcher is not None else None,
        )

    def _schedule(self, now: datetime) -> Schedule:
        expression = self.settings.worker_schedule
        try:
            return Schedule(expression, next_run(expression, now), latest_run(expression, now - SCHEDULE_GRACE), None)
        except InvalidSchedule as err:
            return Schedule(expression, None, None, str(err))

    def _longest_pass(self) -> timedelta:
        budget = max(self.settings.worker_timer_budget_seconds, self.settings.worker_http_budget_seconds)
        return timedelta(seconds=budget + self.settings.model_timeout_seconds) + FINISH_SLACK


def _running_job(row: dict[str, Any]) -> RunningJob:
    started = as_utc(row.get("started_at"))
    return RunningJob(row, started, as_utc(row.get("heartbeat_at")) or started, as_utc(row.get("lease_expires_at")))


def _behind(schedule: Schedule, last_timer: WorkerRun | None) -> bool | None:
    """Whether the timer's latest due firing has no timer pass; None before any timer pass."""
    if last_timer is None or schedule.last_due_at is None:
        return None
    return last_timer.started_at < schedule.last_due_at - EARLY_FIRING
