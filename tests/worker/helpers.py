"""Building blocks for worker tests: a context on a real SQLite file, source rows, jobs, settings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

from shared.app_context import AppContext
from shared.clock import utc_now
from shared.config import Settings
from shared.db.database import open_database
from shared.db.migrate import migrate
from shared.jobs.models import Job, Status
from shared.jobs.periods import week_period
from shared.jobs.repository import JobsRepository, new_job_id
from shared.worker.options import WorkerOptions

WEEK = "2026-W07"  # Monday 2026-02-09 to Sunday 2026-02-15
API_KEY = "sk-test-Zx9q2Lw8Vb7Nc6Mk5Jh4Gf3Ds"

# Short intervals so a cancel or a stop is noticed within a fraction of a second.
FAST = WorkerOptions(concurrency=2, lease_seconds=30, heartbeat_seconds=0.2, cancel_check_seconds=0.05, retry_base_seconds=0, finish_margin_seconds=1)


def settings_for(db_path: Path, **env: str) -> Settings:
    return Settings.from_env({"SQLITE_PATH": str(db_path), **env})


def openai_env(base_url: str, timeout: float = 5) -> dict[str, str]:
    return {
        "REPORT_GENERATOR": "openai",
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": API_KEY,
        "OPENAI_MODEL": "stub-model",
        "MODEL_TIMEOUT_SECONDS": str(timeout),
    }


def azure_env(endpoint: str, deployment: str = "reports-gpt4o") -> dict[str, str]:
    return {
        "REPORT_GENERATOR": "azure_openai",
        "AZURE_OPENAI_ENDPOINT": endpoint,
        "AZURE_OPENAI_DEPLOYMENT": deployment,
        "AZURE_OPENAI_API_KEY": API_KEY,
        "AZURE_OPENAI_API_VERSION": "2024-10-21",
    }


def make_context(settings: Settings) -> AppContext:
    db = open_database(settings)
    migrate(db)
    return AppContext(settings=settings, db=db, jobs=JobsRepository(db))


def add_rows(
    context: AppContext,
    scope_key: str,
    first_day: date,
    days: int,
    metrics: Mapping[str, float] | None = None,
    scope_type: str = "network",
    growth: float = 0.0,
) -> None:
    """Daily rows from `first_day`; each day's value grows by `growth` (a fraction) over the one before."""
    metrics = metrics or {"revenue_eur": 1000.0, "orders": 40.0}
    rows = [
        {
            "scope_type": scope_type,
            "scope_key": scope_key,
            "metric_date": (first_day + timedelta(days=offset)).isoformat(),
            "metric": name,
            "value": round(value * (1 + growth) ** offset, 4),
        }
        for offset in range(days)
        for name, value in metrics.items()
    ]
    context.db.run(lambda tx: tx.execute_many("insert_source_row", rows))


def add_week_rows(context: AppContext, scope_key: str, week: str = WEEK) -> None:
    """The week and the one before it, so there is something to compare against."""
    add_rows(context, scope_key, week_period(week).start - timedelta(days=7), 14)


def add_job(
    context: AppContext, scope_key: str, week: str = WEEK, max_attempts: int = 3, created_at: datetime | None = None, scope_type: str = "network"
) -> Job:
    job = Job(
        job_id=new_job_id(),
        scope_type=scope_type,
        scope_key=scope_key,
        iso_week=week,
        month_key=None,
        status=Status.QUEUED,
        reason=None,
        created_at=created_at or utc_now(),
        started_at=None,
        finished_at=None,
        created_by="tests",
        max_attempts=max_attempts,
    )
    context.db.run(lambda tx: JobsRepository.insert_job(tx, job))
    return job


def snapshot_count(context: AppContext, job_id: str) -> int:
    found = context.jobs.get_with_snapshot(job_id)
    return 0 if found is None or found[1] is None else 1
