"""The trigram search index follows every job change that matters to search, also after 0050 made
it skip changes that cannot matter (a reason of fewer than three characters, such as 'ok')."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from shared.clock import utc_now
from shared.db import Database
from shared.jobs.repository import GeneratedReport, JobsRepository

REPORT = GeneratedReport('{"headline": "x"}', 3, "stub-model", 10)


def sql(db: Database, statement: str, *params: str) -> list[tuple]:
    conn = sqlite3.connect(db.connector.path)
    try:
        with conn:
            return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def found(db: Database, text: str) -> set[str]:
    """Job ids whose indexed text contains `text` (the index's key ends in the job row's rowid, 0070)."""
    rows = sql(
        db,
        "SELECT j.job_id FROM exec_report_job_search s JOIN exec_report_jobs j ON j.rowid = s.rowid % 2147483648 WHERE exec_report_job_search MATCH ?",
        f'"{text}"',
    )
    return {row[0] for row in rows}


def test_completed_job_stays_findable_and_reasons_are_indexed_both_ways(sqlite_db: Database) -> None:
    repo = JobsRepository(sqlite_db)
    now = utc_now()
    job, _ = repo.enqueue("network", "NET-SEARCHABLE", "2026-W07", None, "scheduler", 3, now)
    [claimed] = repo.claim("w1", 1, 60, now)
    assert repo.complete(claimed, REPORT, now)
    assert found(sqlite_db, "SEARCHABLE") == {job.job_id}, "completing (reason NULL -> 'ok') keeps the job in the index"

    sql(sqlite_db, "UPDATE exec_report_jobs SET reason = 'worker lost; retrying' WHERE job_id = ?", job.job_id)
    assert found(sqlite_db, "retrying") == {job.job_id}, "a long reason is indexed"
    sql(sqlite_db, "UPDATE exec_report_jobs SET reason = 'ok' WHERE job_id = ?", job.job_id)
    assert found(sqlite_db, "retrying") == set(), "and taken out again when it changes back"
    assert found(sqlite_db, "SEARCHABLE") == {job.job_id}


def test_deleting_a_completed_job_leaves_nothing_behind_in_the_index(sqlite_db: Database) -> None:
    repo = JobsRepository(sqlite_db)
    now = utc_now() - timedelta(minutes=5)
    keep, _ = repo.enqueue("network", "NET-KEEP", "2026-W07", None, "ops@contoso.com", 3, now)
    gone, _ = repo.enqueue("network", "NET-GONE", "2026-W07", None, "ops@contoso.com", 3, now + timedelta(seconds=1))
    for job in repo.claim("w1", 2, 60, utc_now()):
        assert repo.complete(job, REPORT, utc_now())
    sql(sqlite_db, "DELETE FROM exec_report_jobs WHERE job_id = ?", gone.job_id)
    assert found(sqlite_db, "NET-GONE") == set()
    assert found(sqlite_db, "contoso") == {keep.job_id}, "the delete supplied exactly the values the index held"
