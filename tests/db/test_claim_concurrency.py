"""Many claimers at once, each with its own connection: no job is ever handed out twice."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from shared.db import Database
from shared.db.sqlite import SqliteConnector
from shared.jobs.models import Job
from shared.jobs.repository import JobsRepository

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
JOBS = 600
THREADS = 12


def test_threads_claiming_at_once_never_get_the_same_job(sqlite_db: Database, tmp_path: Path) -> None:
    sqlite_db.run(
        lambda tx: [
            JobsRepository.insert_job(
                tx,
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
                ),
            )
            for index in range(JOBS)
        ]
    )
    # Separate Database objects: like separate worker instances, none shares a connection.
    databases = [Database(SqliteConnector(sqlite_db.connector.path)) for _ in range(THREADS)]  # type: ignore[attr-defined]
    claimed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def claimer(index: int) -> None:
        repo = JobsRepository(databases[index])
        start.wait()
        while batch := repo.claim(f"worker-{index}", 7, 60, NOW):
            with lock:
                claimed.extend(job.job_id for job in batch)

    threads = [threading.Thread(target=claimer, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in databases:
        database.close()

    duplicates = [job_id for job_id, times in Counter(claimed).items() if times > 1]
    assert duplicates == []
    assert len(claimed) == JOBS
    assert JobsRepository(sqlite_db).counts()["running"] == JOBS
