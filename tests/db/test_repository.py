"""The jobs repository on a real database: what the API and the worker build on."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from shared.db import Database
from shared.jobs.models import STATUSES, Job, Status
from shared.jobs.repository import GeneratedReport, JobsRepository

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
REPORT = GeneratedReport(analysis_json='{"headline": "h"}', rows_used=12, gen_model="test-model", gen_ms=34, prompt_tokens=100, completion_tokens=20)


def add_jobs(repo: JobsRepository, count: int, same_time: bool = False) -> list[Job]:
    jobs = []
    for index in range(count):
        created = T0 if same_time else T0 + timedelta(seconds=index)
        job, created_new = repo.enqueue("network", f"NET-{index:04d}", "2026-W44", None, "tester", 3, created)
        assert created_new
        jobs.append(job)
    return jobs


@pytest.fixture
def repo(db: Database) -> JobsRepository:
    return JobsRepository(db)


def python_clock_leases(repo: JobsRepository) -> None:
    """Leases follow the `now` tests pass only on SQLite; SQL Server uses its own SYSUTCDATETIME()."""
    if repo.db.dialect != "sqlite":
        pytest.skip("on SQL Server leases and reaping use the server's clock, which a test cannot move")


def test_list_is_newest_first_and_pages_never_overlap_even_with_equal_times(repo: JobsRepository) -> None:
    add_jobs(repo, 23, same_time=True)
    seen: list[str] = []
    for page in range(1, 6):
        result = repo.list_jobs(None, page, 5)
        assert result.total == 23
        seen += [job.job_id for job in result.jobs]
    assert len(seen) == 23 and len(set(seen)) == 23
    assert seen == sorted(seen, reverse=True)  # equal created_at: job_id breaks the tie, descending


def test_late_pages_read_from_the_old_end_match_the_plain_order(repo: JobsRepository) -> None:
    jobs = add_jobs(repo, 37)
    newest_first = [job.job_id for job in reversed(jobs)]
    for page in range(1, 9):
        got = [job.job_id for job in repo.list_jobs(None, page, 5).jobs]
        assert got == newest_first[(page - 1) * 5 : page * 5], f"page {page}"
    assert repo.list_jobs(None, 9, 5).jobs == []


def test_status_filter_counts_and_pages(repo: JobsRepository) -> None:
    jobs = add_jobs(repo, 12)
    for job in jobs[:4]:
        repo.cancel(job.job_id, "canceled by tester", T0)
    result = repo.list_jobs(Status.CANCELED, 1, 3)
    assert result.total == 4
    assert [job.status for job in result.jobs] == [Status.CANCELED] * 3
    assert [job.job_id for job in repo.list_jobs(Status.CANCELED, 2, 3).jobs] == [jobs[0].job_id]
    assert repo.list_jobs(Status.QUEUED, 1, 50).total == 8


def test_counts_follow_every_status_change(repo: JobsRepository) -> None:
    jobs = add_jobs(repo, 6)
    claimed = repo.claim("w1", 3, 60, T0)
    repo.complete(claimed[0], REPORT, T0)
    repo.fail(claimed[1], "boom", None, T0)
    repo.cancel(jobs[5].job_id, "canceled by tester", T0)
    assert repo.counts() == {Status.QUEUED: 2, Status.RUNNING: 1, Status.SUCCEEDED: 1, Status.FAILED: 1, Status.CANCELED: 1, "total": 6}


def test_enqueue_returns_the_active_job_for_the_same_scope_and_period(repo: JobsRepository) -> None:
    first, created = repo.enqueue("network", "NET-A", None, "2026-10", "a", 3, T0)
    again, created_again = repo.enqueue("network", "NET-A", None, "2026-10", "b", 3, T0 + timedelta(minutes=1))
    assert created and not created_again and again.job_id == first.job_id
    other_period, created_other = repo.enqueue("network", "NET-A", "2026-W40", None, "b", 3, T0)
    assert created_other and other_period.job_id != first.job_id
    repo.cancel(first.job_id, "canceled", T0)
    fresh, created_fresh = repo.enqueue("network", "NET-A", None, "2026-10", "c", 3, T0)
    assert created_fresh and fresh.job_id != first.job_id


def test_claim_is_oldest_first_and_marks_the_lease(repo: JobsRepository) -> None:
    python_clock_leases(repo)
    jobs = add_jobs(repo, 5)
    claimed = repo.claim("w1", 2, 90, T0 + timedelta(hours=1))
    assert [job.job_id for job in claimed] == [jobs[0].job_id, jobs[1].job_id]
    assert all(job.status == Status.RUNNING and job.worker_id == "w1" and job.attempts == 1 for job in claimed)
    assert claimed[0].lease_expires_at == T0 + timedelta(hours=1, seconds=90)
    assert len({job.claim_token for job in claimed}) == 2 and all(job.claim_token for job in claimed)


def test_a_job_waiting_for_its_retry_time_is_not_claimed_early(repo: JobsRepository) -> None:
    python_clock_leases(repo)
    add_jobs(repo, 1)
    [claimed] = repo.claim("w1", 1, 60, T0)
    assert repo.retry_later(claimed, 300, "model busy (429)", None, T0)
    assert repo.claim("w2", 1, 60, T0 + timedelta(minutes=4)) == []
    [again] = repo.claim("w2", 1, 60, T0 + timedelta(minutes=5))
    assert again.job_id == claimed.job_id and again.attempts == 2


def test_complete_stores_the_snapshot_with_the_job(repo: JobsRepository) -> None:
    [job] = add_jobs(repo, 1)
    [claimed] = repo.claim("w1", 1, 60, T0)
    assert repo.complete(claimed, REPORT, T0 + timedelta(seconds=30))
    found = repo.get_with_snapshot(job.job_id)
    assert found is not None
    stored, snapshot = found
    assert stored.status == Status.SUCCEEDED and stored.finished_at == T0 + timedelta(seconds=30)
    assert snapshot is not None and snapshot.rows_used == 12 and snapshot.total_tokens == 120
    assert snapshot.json_size_bytes == len(REPORT.analysis_json)


def test_finishing_writes_are_fenced_to_the_attempt_holding_the_job(repo: JobsRepository) -> None:
    [job] = add_jobs(repo, 1)
    [claimed] = repo.claim("w1", 1, 60, T0)
    forged = replace(claimed, claim_token="0" * 32)  # same worker id, another attempt's token
    assert not repo.complete(forged, REPORT, T0)
    assert not repo.fail(forged, "x", None, T0)
    assert not repo.renew_lease(forged, 60, T0)
    assert not repo.release(forged)
    assert not repo.retry_later(forged, 1, "x", None, T0)
    assert repo.get(job.job_id).status == Status.RUNNING  # type: ignore[union-attr]
    repo.cancel(job.job_id, "canceled by admin", T0)
    assert not repo.complete(claimed, REPORT, T0)  # canceled: never becomes succeeded
    assert not repo.renew_lease(claimed, 60, T0)
    found = repo.get_with_snapshot(job.job_id)
    assert found is not None and found[0].status == Status.CANCELED and found[1] is None


def test_cancel_reports_a_finished_job_unchanged(repo: JobsRepository) -> None:
    [job] = add_jobs(repo, 1)
    [claimed] = repo.claim("w1", 1, 60, T0)
    repo.fail(claimed, "model said no", "Traceback ...", T0)
    outcome = repo.cancel(job.job_id, "canceled", T0)
    assert not outcome.canceled and outcome.job is not None and outcome.job.status == Status.FAILED
    assert repo.cancel("no-such-job", "canceled", T0).job is None


def test_expired_leases_are_requeued_then_failed_when_attempts_run_out(repo: JobsRepository) -> None:
    python_clock_leases(repo)
    job, _ = repo.enqueue("network", "NET-X", "2026-W44", None, "t", 2, T0)
    repo.claim("dead-worker", 1, 30, T0)
    assert repo.reap_expired(T0 + timedelta(seconds=10), T0) == (0, 0)  # lease still valid
    assert repo.reap_expired(T0 + timedelta(seconds=31), T0) == (1, 0)
    requeued = repo.get(job.job_id)
    assert requeued is not None and requeued.status == Status.QUEUED and requeued.worker_id is None
    repo.claim("dead-again", 1, 30, T0 + timedelta(minutes=1))
    assert repo.reap_expired(T0 + timedelta(minutes=2), T0) == (0, 1)
    failed = repo.get(job.job_id)
    assert failed is not None and failed.status == Status.FAILED and "worker lost" in (failed.reason or "")


def test_release_gives_the_job_back_without_spending_an_attempt(repo: JobsRepository) -> None:
    [job] = add_jobs(repo, 1)
    [claimed] = repo.claim("w1", 1, 60, T0)
    assert repo.release(claimed)
    released = repo.get(job.job_id)
    assert released is not None and released.status == Status.QUEUED and released.attempts == 0


def test_every_status_is_countable(repo: JobsRepository) -> None:
    assert set(repo.counts()) == {*STATUSES, "total"}
