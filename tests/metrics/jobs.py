"""Jobs with exact timings and snapshots, written straight into a real database for metrics tests."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from shared.db import Database
from shared.jobs.models import Job, Status
from shared.jobs.repository import JobsRepository, new_job_id


def add_timed_job(
    db: Database,
    created: datetime,
    status: str,
    wait: float | None = None,
    run: float | None = None,
    model: str | None = None,
    gen_ms: int | None = None,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
) -> Job:
    """A job created at `created` that waited `wait` s to start and ran `run` s; a snapshot when `model` is given."""
    started = created + timedelta(seconds=wait) if wait is not None else None
    finished = started + timedelta(seconds=run) if started is not None and run is not None else None
    if status == Status.CANCELED and finished is None:
        finished = created + timedelta(seconds=1)
    job = Job(
        job_id=new_job_id(),
        scope_type="network",
        scope_key="NET-METRICS",
        iso_week="2026-W10",
        month_key=None,
        status=status,
        reason=None,
        created_at=created,
        started_at=started,
        finished_at=finished,
        created_by="metrics-test",
        attempts=1 if started else 0,
    )
    db.run(lambda tx: JobsRepository.insert_job(tx, job))
    if model is not None:
        db.execute(
            "insert_snapshot",
            {
                "job_id": job.job_id,
                "scope_type": job.scope_type,
                "scope_key": job.scope_key,
                "iso_week": job.iso_week,
                "month_key": None,
                "analysis_json": json.dumps({"headline": "x"}),
                "created_at": finished or created,
                "rows_used": 10,
                "gen_model": model,
                "gen_ms": gen_ms,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "prompt_version": None,
            },
        )
    return job
