"""Building blocks for notification tests: contexts with channels switched on, and jobs that fail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared import notify
from shared.app_context import AppContext
from shared.jobs.models import Job, Status
from shared.worker.runner import PassSummary, run_pass
from tests.notify.servers import SMTP_PASSWORD, SMTP_USER
from tests.worker.helpers import FAST, add_job, make_context, settings_for

ADMIN = "https://admin.example.com"
RECIPIENTS = ("oncall@example.com", "reports-team@example.com")


def email_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_USERNAME": SMTP_USER,
        "SMTP_PASSWORD": SMTP_PASSWORD,
        "EMAIL_FROM": "jobs-monitor@example.com",
        "EMAIL_TO": ",".join(RECIPIENTS),
        "ADMIN_BASE_URL": ADMIN,
        "NOTIFY_TIMEOUT_SECONDS": "30",
        **extra,
    }


def webhook_env(url: str, **extra: str) -> dict[str, str]:
    return {"ALERT_WEBHOOK_URL": url, "ADMIN_BASE_URL": ADMIN, "NOTIFY_TIMEOUT_SECONDS": "30", "ALERT_FAILURE_RATE_THRESHOLD": "0", **extra}


@contextmanager
def context_with(tmp_path: Path, env: dict[str, str]) -> Iterator[AppContext]:
    context = make_context(settings_for(tmp_path / "jobs.sqlite3", **env))
    try:
        yield context
    finally:
        assert notify.wait_idle(30)
        context.db.close()


def run_failing(context: AppContext, *scope_keys: str) -> tuple[PassSummary, list[Job]]:
    """Queue a job per scope (none has source rows, so each fails for good) and run a worker pass."""
    jobs = [add_job(context, key) for key in scope_keys]
    summary = run_pass(context, "api", budget_seconds=30, options=FAST)
    for job in jobs:
        found = context.jobs.get(job.job_id)
        assert found is not None and found.status == Status.FAILED
    return summary, [context.jobs.get(job.job_id) for job in jobs]  # type: ignore[misc]


def settle() -> None:
    assert notify.wait_idle(30), "notifications still running"
