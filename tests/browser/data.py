"""The sample jobs the page tests look at, written through the shared job factory (tests/support/jobs.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.db import Database, Transaction
from shared.jobs.models import Job
from tests.support.jobs import add_job, add_snapshot

# What the page shows of every sample job (its period and who queued it).
SAMPLE = {"iso_week": "2025-W01", "created_by": "browser-test"}


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
        **SAMPLE,
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
            **SAMPLE,
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
            **SAMPLE,
            status="canceled",
            scope_key="NET-STOP",
            reason="canceled by admin@contoso.com",
            created_at=CREATED - timedelta(hours=2),
            finished_at=CREATED - timedelta(hours=2) + timedelta(seconds=20),
        ),
        "queued": add_job(db, **SAMPLE, status="queued", scope_key="NET-WAIT", created_at=now - timedelta(seconds=50)),
        "running": add_job(
            db,
            **SAMPLE,
            status="running",
            scope_key="NET-RUN",
            created_at=now - timedelta(seconds=60),
            started_at=now - timedelta(seconds=30),
            attempts=1,
            worker_id="test-worker",
            lease_expires_at=now + timedelta(minutes=30),
        ),
    }
