"""Worker health from real worker-run rows and running jobs, at a fixed moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.config import Settings
from shared.db import Database
from shared.health.schedule import InvalidSchedule, latest_run, next_run
from shared.health.service import HealthService
from shared.jobs.models import Status
from shared.jobs.repository import JobsRepository
from shared.worker.runs import WorkerRunsRepository
from tests.metrics.jobs import add_timed_job

NOW = datetime(2026, 3, 10, 12, 3, 7, tzinfo=UTC)
COUNTS = {"reaped": 1, "claimed": 4, "succeeded": 3, "failed": 1, "requeued": 0, "canceled": 0}


def health(db: Database, **env: str):
    return HealthService(db, Settings.from_env(env), clock=lambda: NOW).health()


def record_run(db: Database, run_id: str, trigger: str, started: datetime, seconds: float | None, error: str | None = None) -> None:
    runs = WorkerRunsRepository(db)
    runs.start(run_id, trigger, f"host:1:{run_id}", started)
    if seconds is not None:
        runs.finish(run_id, started + timedelta(seconds=seconds), COUNTS, error)


def test_ncrontab_reads_seconds_first() -> None:
    assert next_run("0 */2 * * * *", NOW) == datetime(2026, 3, 10, 12, 4, tzinfo=UTC)
    # Read with seconds last, "30 * * * * *" would mean minute 30; NCRONTAB means second 30 of every minute.
    assert next_run("30 * * * * *", NOW) == datetime(2026, 3, 10, 12, 3, 30, tzinfo=UTC)
    assert next_run("0 0 9 * * 1-5", NOW) == datetime(2026, 3, 11, 9, tzinfo=UTC)
    assert latest_run("0 */2 * * * *", datetime(2026, 3, 10, 12, 2, tzinfo=UTC)) == datetime(2026, 3, 10, 12, 2, tzinfo=UTC)
    for bad in ("*/2 * * * *", "0 */2 * * * nope"):
        with pytest.raises(InvalidSchedule):
            next_run(bad, NOW)


def test_last_run_next_run_and_failed_or_unfinished_runs(db: Database) -> None:
    record_run(db, "old-bad", "timer", NOW - timedelta(days=8), 2, "could not claim jobs: OperationalError")  # too old to list
    record_run(db, "bad", "timer", NOW - timedelta(hours=2), 1.5, "could not claim jobs: OperationalError")
    record_run(db, "died", "http", NOW - timedelta(hours=1), None)  # never finished: the process stopped
    record_run(db, "good", "timer", NOW - timedelta(seconds=67), 2.25)
    record_run(db, "now", "api", NOW - timedelta(seconds=5), None)  # still going

    report = health(db)
    assert report.schedule.next_run_at == datetime(2026, 3, 10, 12, 4, tzinfo=UTC)
    assert report.last_run is not None and report.last_run.run_id == "now"
    assert [run.run_id for run in report.recent_runs][:2] == ["now", "good"]
    assert [run.run_id for run in report.problem_runs] == ["died", "bad"]
    assert report.behind_schedule is False  # the 12:02 firing ran


def test_a_timer_that_stopped_firing_is_behind_schedule(db: Database) -> None:
    assert health(db).behind_schedule is None  # no timer pass yet: nothing to compare
    record_run(db, "last", "timer", NOW - timedelta(minutes=9), 1)
    record_run(db, "manual", "http", NOW - timedelta(seconds=30), 1)  # a manual pass does not stand in for the timer
    assert health(db).behind_schedule is True
    assert health(db, WORKER_SCHEDULE="0 50 * * * *").behind_schedule is False  # hourly at :50, and 11:54 followed 11:50


def test_running_jobs_show_lease_age_and_stuck_leases(db: Database) -> None:
    jobs = JobsRepository(db)
    stuck = add_timed_job(db, NOW - timedelta(hours=1), Status.QUEUED)
    fresh = add_timed_job(db, NOW - timedelta(minutes=10), Status.QUEUED)
    jobs.claim("w-gone", 1, 120, NOW - timedelta(minutes=30))  # its worker never renewed: expired 28 min ago
    [alive] = jobs.claim("w-alive", 1, 600, NOW - timedelta(minutes=3))
    assert alive.job_id == fresh.job_id
    assert jobs.renew_lease(alive, 120, NOW - timedelta(seconds=30))

    report = health(db)
    assert report.running_total == 2
    first, second = report.running  # the most overdue lease first
    assert first.row["job_id"] == stuck.job_id and first.stuck(NOW)
    assert (NOW - first.lease_expires_at) == timedelta(minutes=28)
    assert second.row["job_id"] == fresh.job_id and not second.stuck(NOW)
    assert NOW - second.renewed_at == timedelta(seconds=30)
