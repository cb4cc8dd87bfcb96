"""WORKER_GLOBAL_CONCURRENCY holds in the database: claimers on separate connections, racing, never
have more than the limit running, whether they claim by id (the queue trigger) or in batches (a pass)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from shared.db import Database
from shared.db.sqlite import SqliteConnector
from shared.jobs.models import Job
from shared.jobs.repository import AT_LIMIT, NOT_DUE, NOT_FOUND, NOT_QUEUED, GeneratedReport, JobsRepository

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LIMIT = 5
JOBS = 40
THREADS = 8
REPORT = GeneratedReport(analysis_json="{}", rows_used=1, gen_model="m", gen_ms=1)


def add_jobs(db: Database, count: int) -> list[str]:
    jobs = [
        Job(
            job_id=f"job-{index:05d}",
            scope_type="network",
            scope_key=f"NET-{index}",
            iso_week="2026-W44",
            month_key=None,
            status="queued",
            reason=None,
            created_at=NOW,
            started_at=None,
            finished_at=None,
            created_by="t",
        )
        for index in range(count)
    ]
    db.run(lambda tx: [JobsRepository.insert_job(tx, job) for job in jobs])
    return [job.job_id for job in jobs]


def test_racing_claims_by_id_never_run_more_than_the_limit(sqlite_db: Database) -> None:
    job_ids = add_jobs(sqlite_db, JOBS)
    databases = [Database(SqliteConnector(sqlite_db.connector.path)) for _ in range(THREADS)]  # type: ignore[attr-defined]
    claimed: list[Job] = []
    refusals: list[str | None] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def claimer(index: int) -> None:
        repo = JobsRepository(databases[index])
        start.wait()
        for job_id in job_ids[index::THREADS]:
            result = repo.claim_one(job_id, f"worker-{index}", 60, NOW, LIMIT)
            with lock:
                if result.job is not None:
                    claimed.append(result.job)
                else:
                    refusals.append(result.refused)

    threads = [threading.Thread(target=claimer, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in databases:
        database.close()

    repo = JobsRepository(sqlite_db)
    assert len(claimed) == LIMIT and repo.running_count() == LIMIT
    assert refusals == [AT_LIMIT] * (JOBS - LIMIT)

    # Two finish: exactly two more may start, by id or in a batch.
    for job in claimed[:2]:
        assert repo.complete(job, REPORT, NOW)
    more = repo.claim("batch-worker", 10, 60, NOW, LIMIT)
    assert len(more) == 2 and repo.running_count() == LIMIT
    waiting = next(job_id for job_id in job_ids if (job := repo.get(job_id)) is not None and job.status == "queued")
    assert repo.claim_one(waiting, "late", 60, NOW, LIMIT).refused == AT_LIMIT


def test_a_refused_claim_says_why(sqlite_db: Database) -> None:
    repo = JobsRepository(sqlite_db)
    [later] = add_jobs(sqlite_db, 1)
    first = repo.claim_one(later, "w", 60, NOW, LIMIT).job
    assert first is not None and repo.retry_later(first, 30, "the model endpoint is rate limiting (429)", None, NOW)

    not_due = repo.claim_one(later, "w", 60, NOW, LIMIT)
    assert (not_due.refused, round(not_due.due_in_seconds)) == (NOT_DUE, 30)
    assert repo.claim_one("no-such-job", "w", 60, NOW, LIMIT).refused == NOT_FOUND

    running = repo.claim_one(later, "w", 60, NOW + timedelta(seconds=31), LIMIT)
    assert running.job is not None and running.job.claim_token
    again = repo.claim_one(later, "w2", 60, NOW + timedelta(seconds=32), LIMIT)
    assert (again.refused, again.status) == (NOT_QUEUED, "running")
