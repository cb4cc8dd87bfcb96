"""Retention on a real database: finished jobs older than N days go, with their snapshots and
history, in batches; queued and running jobs stay whatever their age; the counters stay right."""

from __future__ import annotations

from datetime import timedelta

from shared.clock import utc_now
from shared.db import Database
from shared.jobs.actions import JobActions
from shared.jobs.audit import AuditLog
from shared.jobs.repository import GeneratedReport, JobsRepository
from shared.jobs.retention import purge_finished

OLD = utc_now() - timedelta(days=40)


def test_old_finished_jobs_go_with_their_snapshots_and_history_in_batches(db: Database) -> None:
    repo = JobsRepository(db)
    for i in range(5):
        repo.enqueue("network", f"OLD-{i}", "2025-W10", None, "seed", 3, OLD + timedelta(seconds=i))
    old_queued = repo.enqueue("network", "OLD-QUEUED", "2025-W11", None, "seed", 3, OLD - timedelta(days=1))[0]
    claimed = repo.claim("w1", 6, 60, OLD + timedelta(minutes=1))
    old_waiting = repo.enqueue("network", "OLD-WAITING", "2025-W12", None, "seed", 3, OLD)[0]
    for job in claimed:
        if job.job_id == old_queued.job_id:
            repo.release(job)
        elif job.scope_key in ("OLD-0", "OLD-1"):
            repo.complete(job, GeneratedReport("{}", 1, "m", 1), OLD + timedelta(minutes=2))
        else:
            repo.fail(job, "boom", None, OLD + timedelta(minutes=2))
    repo.claim("w2", 1, 60, utc_now())  # OLD-QUEUED (the oldest) is running now... and so stays
    failed_old = next(job for job in claimed if job.scope_key == "OLD-4")
    JobActions(db, 3).retry(failed_old.job_id, "ada")  # queued again: never purged
    recent = repo.enqueue("network", "NEW", "2026-W01", None, "seed", 3, utc_now())[0]
    repo.cancel(recent.job_id, "canceled by test", utc_now())

    result = purge_finished(db, days=30, batch_size=2, max_batches=10)

    assert (result.jobs_deleted, result.snapshots_deleted, result.batches, result.more_left) == (4, 2, 3, False)
    left = {job.scope_key: job.status for job in repo.list_jobs(None, 1, 50).jobs}
    assert left == {"OLD-QUEUED": "running", "OLD-WAITING": "queued", "OLD-4": "queued", "NEW": "canceled"}
    assert old_waiting.job_id in {job.job_id for job in repo.list_jobs("queued", 1, 50).jobs}
    assert repo.counts() == {"queued": 2, "running": 1, "succeeded": 0, "failed": 0, "canceled": 1, "total": 4}
    entries = AuditLog(db).page(10).entries
    assert entries[0].actor == "retention" and "deleted 4 finished job(s) and 2 snapshot(s)" in (entries[0].detail or "")


def test_a_pass_stops_at_its_batch_limit_and_the_next_goes_on(db: Database) -> None:
    repo = JobsRepository(db)
    for i in range(5):
        job = repo.enqueue("network", f"OLD-{i}", "2025-W10", None, "seed", 3, OLD + timedelta(seconds=i))[0]
        repo.cancel(job.job_id, "x", OLD + timedelta(minutes=1))
    first = purge_finished(db, days=30, batch_size=2, max_batches=2)
    assert (first.jobs_deleted, first.more_left) == (4, True)
    second = purge_finished(db, days=30, batch_size=2, max_batches=2)
    assert (second.jobs_deleted, second.more_left) == (1, False)
    assert repo.counts()["total"] == 0 and repo.counts()["canceled"] == 0


def test_nothing_to_delete_writes_no_audit_entry(db: Database) -> None:
    assert purge_finished(db, days=30, batch_size=10, max_batches=1).jobs_deleted == 0
    assert AuditLog(db).page(10).entries == []
