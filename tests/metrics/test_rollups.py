"""The rollups behind the metrics stay right as jobs change: after every insert, claim, completion,
failure, requeue, cancel, admin retry, retention delete and write by another application, the
metrics and usage the API shows equal an exact computation over the stored rows (percentiles
within the bin error).

A retried job is one job of the hour it was created in: while requeued it leaves its earlier
outcome and timings behind, and when it finishes again it counts with its latest attempt's outcome
and times, its queue wait running from creation to the latest start. Earlier attempts stay in the
job's history (Details), not in the charts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.db import Database
from shared.db.queries import SQL_DIR
from shared.jobs.actions import JobActions
from shared.jobs.models import Job, Status
from shared.jobs.repository import GeneratedReport, JobsRepository
from shared.jobs.retention import purge_finished
from shared.metrics.prices import parse_model_prices
from shared.metrics.repository import MetricsRepository
from shared.metrics.service import MetricsService
from tests.metrics.exact import SECOND, assert_metrics_exact, assert_usage_exact, assert_within_bin
from tests.metrics.jobs import add_timed_job

NOW = datetime(2026, 3, 10, 12, 30, 15, tzinfo=UTC)
THIS_HOUR = NOW.replace(minute=0, second=0)
WORKER = "w1"


def service(db: Database) -> MetricsService:
    return MetricsService(MetricsRepository(db), parse_model_prices("{}"), clock=lambda: NOW)


def assert_all_exact(db: Database) -> None:
    metrics = service(db)
    for range_name, bucket in (("24h", "hour"), ("7d", "day"), ("7d", "hour")):
        assert_metrics_exact(db, metrics.metrics(range_name, bucket))
    for range_name in ("24h", "7d"):
        assert_usage_exact(db, metrics.usage(range_name))


def report(model: str, gen_ms: int) -> GeneratedReport:
    return GeneratedReport('{"headline": "x"}', 10, model, gen_ms, prompt_tokens=gen_ms * 2, completion_tokens=gen_ms // 3)


def enqueue(repo: JobsRepository, key: str, created: datetime) -> Job:
    job, created_now = repo.enqueue("network", key, "2026-W10", None, "metrics-test", 3, created)
    assert created_now
    return job


def claim_one(repo: JobsRepository, at: datetime) -> Job:
    [job] = repo.claim(WORKER, 1, 600, at)
    return job


def test_rollups_follow_jobs_through_the_worker_admins_and_retention(db: Database) -> None:
    repo = JobsRepository(db)
    old = [enqueue(repo, f"NET-OLD-{i}", NOW - timedelta(days=3, minutes=7 * i)) for i in range(3)]
    fresh = [enqueue(repo, f"NET-{i}", THIS_HOUR - timedelta(hours=5 - i, minutes=-3 * i)) for i in range(6)]
    assert_all_exact(db)

    for index, job in enumerate(old):  # finished three days ago: what retention deletes below
        claimed = claim_one(repo, job.created_at + timedelta(seconds=40 + index))
        assert repo.complete(claimed, report("gpt-4o", 900 + 50 * index), claimed.started_at + timedelta(seconds=7))
    first = claim_one(repo, THIS_HOUR - timedelta(hours=4, minutes=50))
    assert repo.complete(first, report("gpt-4o-mini", 1200), THIS_HOUR - timedelta(hours=4, minutes=49))
    second = claim_one(repo, THIS_HOUR - timedelta(hours=3, minutes=59, seconds=30))
    assert repo.fail(second, "model said no", "Traceback ...", THIS_HOUR - timedelta(hours=3, minutes=58))
    third = claim_one(repo, THIS_HOUR - timedelta(hours=2))
    assert repo.retry_later(third, 0, "rate limited; retrying", None, NOW)  # back to queued, no start
    assert_all_exact(db)

    fourth = claim_one(repo, THIS_HOUR - timedelta(hours=1))
    assert repo.release(fourth)  # a stopping worker gives it back
    claim_one(repo, THIS_HOUR - timedelta(minutes=30))  # left running; its lease runs out below
    assert repo.reap_expired(THIS_HOUR + timedelta(minutes=20), NOW) == (1, 0)
    assert repo.cancel(fresh[-1].job_id, "not needed", NOW).canceled
    assert_all_exact(db)

    actions = JobActions(db, 3, clock=lambda: NOW)
    assert actions.retry(second.job_id, "ada@contoso.com").skipped is None
    assert_all_exact(db)
    again = claim_one(repo, NOW)
    assert again.job_id == second.job_id  # the oldest claimable job
    assert repo.complete(again, report("gpt-4o", 2400), NOW + timedelta(seconds=3))
    assert_all_exact(db)

    deleted = purge_finished(db, days=2, batch_size=2, max_batches=5, clock=lambda: NOW)
    assert deleted.jobs_deleted == 3 and deleted.snapshots_deleted == 3
    assert_all_exact(db)
    assert sum(service(db).metrics("7d", "day").counts["created"][:-1]) == 0  # the three old jobs are gone from the charts


def test_a_retried_job_counts_once_in_the_hour_it_was_created_with_its_latest_attempt(db: Database) -> None:
    repo = JobsRepository(db)
    created = THIS_HOUR - timedelta(hours=5)
    job = enqueue(repo, "NET-RETRY", created)
    claimed = claim_one(repo, created + timedelta(seconds=30))
    assert repo.fail(claimed, "timed out", None, created + timedelta(seconds=90))
    before = service(db).metrics("24h", "hour")
    assert (before.counts["created"][18], before.counts["failed"][18]) == (1, 1)
    assert_within_bin(before.timings["wait_p50"][18], 30.0, SECOND)
    assert service(db).usage("24h").totals["failed"] == 1

    assert JobActions(db, 3, clock=lambda: NOW).retry(job.job_id, "ada@contoso.com").job.status == Status.QUEUED
    requeued = service(db).metrics("24h", "hour")
    assert requeued.totals == {"created": 1, "succeeded": 0, "failed": 0, "canceled": 0, "success_rate": None}
    assert requeued.counts["created"][18] == 1  # still created 5 hours ago, not now
    assert requeued.timings["wait_p50"][18] is None and requeued.timings["run_p50"][18] is None  # the failed attempt left
    assert service(db).usage("24h").models == []

    attempt = claim_one(repo, NOW)
    assert repo.complete(attempt, report("gpt-4o-mini", 4000), NOW + timedelta(seconds=20))
    after = service(db).metrics("24h", "hour")
    assert (after.counts["created"][18], after.counts["succeeded"][18], after.counts["failed"][18]) == (1, 1, 0)
    assert sum(after.counts["created"]) == 1
    assert_within_bin(after.timings["wait_p50"][18], (NOW - created).total_seconds(), SECOND)  # from creation to the latest start
    assert_within_bin(after.timings["run_p50"][18], 20.0, SECOND)
    [model] = service(db).usage("24h").models
    assert (model.model, model.jobs, model.succeeded, model.failed, model.prompt_tokens) == ("gpt-4o-mini", 1, 1, 0, 8000)
    assert_all_exact(db)


def test_rows_another_application_writes_or_edits_count_too(sqlite_db: Database) -> None:
    conn = sqlite_db.connector.connect()
    # The queuing application's own statements, and its own time format ('T' and 'Z').
    conn.execute(
        "INSERT INTO exec_report_jobs (job_id, scope_type, scope_key, iso_week, status, created_at, started_at, finished_at)"
        " VALUES ('ext-1', 'network', 'NET-EXT', '2026-W10', 'succeeded', '2026-03-10T09:15:00.000Z', '2026-03-10T09:15:42.500Z',"
        " '2026-03-10T09:16:00.000Z')"
    )
    conn.execute(
        "INSERT INTO exec_report_snapshots (job_id, scope_type, scope_key, iso_week, analysis_json, gen_model, gen_ms, prompt_tokens)"
        " VALUES ('ext-1', 'network', 'NET-EXT', '2026-W10', '{}', 'gpt-4o', 15000, 700)"
    )
    conn.execute(
        "INSERT INTO exec_report_jobs (job_id, scope_type, scope_key, status, created_at) VALUES ('ext-2', 'network', 'NET-EXT', 'queued', '2026-03-10 11:00:00')"
    )
    assert_all_exact(sqlite_db)
    conn.execute("UPDATE exec_report_jobs SET created_at = '2026-03-10 07:59:59.999' WHERE job_id = 'ext-1'")  # moves hour
    conn.execute("UPDATE exec_report_snapshots SET gen_model = 'gpt-4o-mini', gen_ms = 9000, completion_tokens = 5 WHERE job_id = 'ext-1'")
    conn.execute("UPDATE exec_report_jobs SET status = 'running', started_at = '2026-03-10 12:00:01' WHERE job_id = 'ext-2'")
    assert_all_exact(sqlite_db)
    conn.execute("UPDATE exec_report_jobs SET started_at = '2026-03-10 11:00:02' WHERE job_id = 'ext-2'")  # times alone change
    conn.execute("UPDATE exec_report_jobs SET finished_at = '2026-03-10 09:20:00' WHERE job_id = 'ext-1'")
    conn.execute("UPDATE exec_report_snapshots SET prompt_tokens = 900 WHERE job_id = 'ext-1'")  # usage reported late
    assert_all_exact(sqlite_db)
    conn.execute("UPDATE exec_report_jobs SET status = 'failed' WHERE job_id = 'ext-1'")  # its report moves with it
    assert_all_exact(sqlite_db)
    assert [(model.model, model.failed) for model in service(sqlite_db).usage("24h").models] == [("gpt-4o-mini", 1)]
    conn.execute("DELETE FROM exec_report_snapshots WHERE job_id = 'ext-1'")
    conn.close()
    assert_all_exact(sqlite_db)
    usage = service(sqlite_db).usage("24h")
    assert [(model.model, model.jobs) for model in usage.models] == [(None, 1)]  # its snapshot is gone: model not recorded


def test_a_row_whose_times_cannot_be_read_is_still_stored_and_left_out_of_the_metrics(sqlite_db: Database) -> None:
    add_timed_job(sqlite_db, THIS_HOUR, "succeeded", 5, 5)
    conn = sqlite_db.connector.connect()
    conn.execute(
        "INSERT INTO exec_report_jobs (job_id, scope_type, scope_key, status, created_at, started_at) "
        "VALUES ('odd', 'network', 'NET-ODD', 'running', 'last tuesday', 'soon')"
    )
    assert conn.execute("SELECT status FROM exec_report_jobs WHERE job_id = 'odd'").fetchone() == ("running",)
    conn.close()
    assert service(sqlite_db).metrics("24h", "hour").totals["created"] == 1


def test_migration_fills_the_rollups_from_existing_rows_as_the_triggers_would(sqlite_db: Database) -> None:
    """Re-running migration 0020 recomputes every rollup from the rows: the same as kept live, once."""
    repo = JobsRepository(sqlite_db)
    for hours_ago in range(0, 30, 3):
        created = THIS_HOUR - timedelta(hours=hours_ago, minutes=hours_ago)
        for outcome, model in (("succeeded", "gpt-4o"), ("succeeded", "gpt-4o-mini"), ("failed", None), ("canceled", None)):
            add_timed_job(
                sqlite_db, created, outcome, 2.5 * hours_ago, 3 + hours_ago, model=model, gen_ms=100 * hours_ago + 1, prompt_tokens=10, completion_tokens=None
            )
    enqueue(repo, "NET-Q", THIS_HOUR)
    live = (service(sqlite_db).metrics("7d", "hour"), service(sqlite_db).usage("7d"))
    script = (SQL_DIR / "sqlite" / "migrations" / "0020_metrics_rollups.sql").read_text(encoding="utf-8")
    sqlite_db.run(lambda tx: tx.run_script(script))
    assert (service(sqlite_db).metrics("7d", "hour"), service(sqlite_db).usage("7d")) == live
    claimed = claim_one(repo, NOW)  # and the triggers go on counting each change once
    assert repo.complete(claimed, report("gpt-4o", 700), NOW + timedelta(seconds=9))
    assert_all_exact(sqlite_db)


@pytest.mark.parametrize("bucket", ["hour", "day"])
def test_an_empty_database_has_empty_series(db: Database, bucket: str) -> None:
    metrics = service(db).metrics("7d", bucket)
    assert metrics.totals["created"] == 0 and all(value is None for value in metrics.timings["wait_p95"])
    assert service(db).usage("7d").models == []
