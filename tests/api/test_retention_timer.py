"""The worker timer runs retention after its pass, only when RETENTION_DAYS is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from azure.functions.timer import TimerRequest

import worker_timer
from shared.app_context import get_context, reset_context
from shared.clock import utc_now
from shared.jobs.repository import JobsRepository
from tests.support.jobs import add_job

OLD = utc_now() - timedelta(days=10)


def old_canceled_job(repo: JobsRepository) -> str:
    job = add_job(repo.db, "OLD", iso_week="2025-W10", created_by="seed", created_at=OLD)
    repo.cancel(job.job_id, "x", OLD)
    return job.job_id


def test_retention_is_off_by_default(repo: JobsRepository) -> None:
    job_id = old_canceled_job(repo)
    worker_timer.worker_timer(TimerRequest(past_due=False))
    assert repo.get(job_id) is not None


def test_the_timer_deletes_old_finished_jobs_when_retention_is_set(app_db_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "7")
    reset_context()
    repo = get_context().jobs
    job_id = old_canceled_job(repo)
    kept = add_job(repo.db, "OLD-QUEUED", iso_week="2025-W11", created_by="seed", created_at=OLD)
    worker_timer.worker_timer(TimerRequest(past_due=False))
    assert repo.get(job_id) is None
    assert repo.get(kept.job_id) is not None  # it was queued; whatever this pass did to it, it finished just now
