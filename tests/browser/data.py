"""Jobs written straight into the host's SQLite file, for cases the demo data does not cover."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.db import Database, Transaction
from shared.db.migrate import migrate
from shared.db.sqlite import SqliteConnector
from shared.jobs.models import Job
from shared.jobs.repository import JobsRepository, new_job_id

BASE_JOB = Job(
    job_id="",
    scope_type="network",
    scope_key="NET-TEST",
    iso_week="2025-W01",
    month_key=None,
    status="queued",
    reason=None,
    created_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    started_at=None,
    finished_at=None,
    created_by="browser-test",
)


def open_db(path: Path) -> Database:
    db = Database(SqliteConnector(str(path)))
    migrate(db)
    return db


def add_job(db: Database, **fields: Any) -> Job:
    job = replace(BASE_JOB, job_id=fields.pop("job_id", None) or new_job_id(), **fields)
    db.run(lambda tx: JobsRepository.insert_job(tx, job))
    return job


def add_snapshot(db: Database, job: Job, analysis: dict[str, Any], **fields: Any) -> None:
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


def delete_jobs(db: Database) -> None:
    def delete(tx: Transaction) -> None:
        for table in ("exec_report_snapshots", "exec_report_jobs"):
            tx.run_script(f"DELETE FROM {table}")

    db.run(delete)


CREATED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
ANALYSIS = {
    "headline": "NET-TEST revenue up 4.2% in 2025-W01",
    "summary": "Revenue rose while orders held steady.",
    "kpis": [{"name": "revenue_eur", "value": 812345.5, "previous": 779000, "change_pct": 4.2, "unit": "EUR"}],
    "highlights": ["Best day was Thursday."],
    "risks": ["Incidents rose above the weekly average."],
    "recommendations": ["Review the incident backlog."],
}
STACK_TRACE = (
    'Traceback (most recent call last):\n  File "/home/site/wwwroot/shared/worker/job_runner.py", line 88, in run\nopenai.APITimeoutError: Request timed out.\n'
)


def sample_jobs(db: Database, now: datetime) -> dict[str, Job]:
    """One job per status with known values; the running one started 30 s before `now`."""
    succeeded = add_job(
        db,
        status="succeeded",
        scope_key="NET-OK",
        reason="ok",
        created_at=CREATED,
        started_at=CREATED + timedelta(seconds=125),
        finished_at=CREATED + timedelta(seconds=155),
        attempts=1,
    )
    add_snapshot(db, succeeded, ANALYSIS)
    return {
        "succeeded": succeeded,
        "failed": add_job(
            db,
            status="failed",
            scope_key="NET-FAIL",
            reason="Azure OpenAI request timed out after 30 s",
            error_detail=STACK_TRACE,
            created_at=CREATED - timedelta(hours=1),
            started_at=CREATED - timedelta(minutes=59),
            finished_at=CREATED - timedelta(minutes=58),
            attempts=3,
        ),
        "canceled": add_job(
            db,
            status="canceled",
            scope_key="NET-STOP",
            reason="canceled by admin@contoso.com",
            created_at=CREATED - timedelta(hours=2),
            finished_at=CREATED - timedelta(hours=2) + timedelta(seconds=20),
        ),
        "queued": add_job(db, status="queued", scope_key="NET-WAIT", created_at=now - timedelta(seconds=50)),
        "running": add_job(
            db,
            status="running",
            scope_key="NET-RUN",
            created_at=now - timedelta(seconds=60),
            started_at=now - timedelta(seconds=30),
            attempts=1,
            worker_id="test-worker",
            lease_expires_at=now + timedelta(minutes=30),
        ),
    }
