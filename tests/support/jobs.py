"""The one job factory of the tests: a job row with the fields a test names, written straight into a
real database as the queuing application writes it, a snapshot beside it, and jobs brought into a
state through the worker's own repository calls (claim, fail, complete), so their claim token and
history are what a real attempt leaves."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from shared.clock import utc_now
from shared.db import Database
from shared.jobs.models import Job, Status
from shared.jobs.repository import GeneratedReport, JobsRepository, new_job_id

WEEK = "2026-W07"  # Monday 2026-02-09 to Sunday 2026-02-15
WORKER = "w1"
ANALYSIS = {"headline": "ok"}


def new_job(scope_key: str = "NET-TEST", **fields: Any) -> Job:
    """A queued job of the week WEEK, created now by "tests", unless `fields` say otherwise."""
    base = Job(
        job_id=new_job_id(),
        scope_type="network",
        scope_key=scope_key,
        iso_week=WEEK,
        month_key=None,
        status=Status.QUEUED,
        reason=None,
        created_at=utc_now(),
        started_at=None,
        finished_at=None,
        created_by="tests",
    )
    return replace(base, **{name: value for name, value in fields.items() if name != "job_id" or value})


def add_job(db: Database, scope_key: str = "NET-TEST", **fields: Any) -> Job:
    job = new_job(scope_key, **fields)
    db.run(lambda tx: JobsRepository.insert_job(tx, job))
    return job


def add_snapshot(db: Database, job: Job, analysis: Any = ANALYSIS, **fields: Any) -> None:
    row = {
        "job_id": job.job_id,
        "scope_type": job.scope_type,
        "scope_key": job.scope_key,
        "iso_week": job.iso_week,
        "month_key": job.month_key,
        "analysis_json": json.dumps(analysis),
        "created_at": job.finished_at or job.created_at + timedelta(seconds=30),
        "rows_used": 42,
        "gen_model": "gpt-4o-mini",
        "gen_ms": 1234,
        "prompt_tokens": 1500,
        "completion_tokens": 500,
        "prompt_version": None,
        **fields,
    }
    db.run(lambda tx: tx.execute("insert_snapshot", row))


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
    job = add_job(
        db, "NET-METRICS", iso_week="2026-W10", status=status, created_at=created, started_at=started, finished_at=finished, attempts=1 if started else 0
    )
    if model is not None:
        fields = {"created_at": finished or created, "rows_used": 10, "gen_ms": gen_ms, "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}
        add_snapshot(db, job, {"headline": "x"}, gen_model=model, **fields)
    return job


# --- jobs in a state, through the worker's path ---------------------------------------------------

# Each job made here is older than every earlier one, so a claim (oldest first) takes the job just made.
_AGE = itertools.count(1)


def queued(db: Database, key: str, created_by: str = "seed", at: datetime | None = None, scope_type: str = "network") -> Job:
    return add_job(
        db, key, scope_type=scope_type, iso_week="2026-W44", created_by=created_by, created_at=at or utc_now() - timedelta(hours=1, seconds=next(_AGE))
    )


def running(db: Database, key: str, **fields: Any) -> Job:
    return _claim(db, queued(db, key, **fields))


def failed(db: Database, key: str, reason: str = "model timed out", detail: str = "Traceback: TimeoutError", **fields: Any) -> Job:
    claimed = running(db, key, **fields)
    assert JobsRepository(db).fail(claimed, reason, detail, utc_now())
    return _get(db, claimed)


def succeeded(db: Database, key: str, **fields: Any) -> Job:
    claimed = running(db, key, **fields)
    assert JobsRepository(db).complete(claimed, GeneratedReport('{"headline": "ok"}', 3, "gpt-4o-mini", 20, 10, 5), utc_now())
    return _get(db, claimed)


def _claim(db: Database, job: Job) -> Job:
    claimed = JobsRepository(db).claim(WORKER, 1, 60, utc_now())
    assert [c.job_id for c in claimed] == [job.job_id], "the newest-made job is the oldest queued one"
    return claimed[0]


def _get(db: Database, job: Job) -> Job:
    found = JobsRepository(db).get(job.job_id)
    assert found is not None
    return found
