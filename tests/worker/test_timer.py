"""The timer function that function_app.py registers runs a worker pass."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.functions.timer import TimerRequest

from function_app import app
from local_host.functions import load_functions
from shared.app_context import get_context, reset_context
from shared.jobs.models import Status
from shared.worker.runs import WorkerRunsRepository
from tests.worker.helpers import add_job, add_week_rows


@pytest.fixture
def app_env(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("DB_BACKEND", "REPORT_GENERATOR", "SOURCE_ROWS_TABLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SQLITE_PATH", str(db_path))
    reset_context()
    yield
    reset_context()


def test_the_timer_function_runs_a_pass_and_warns_when_past_due(app_env: None, caplog: pytest.LogCaptureFixture) -> None:
    context = get_context()
    add_week_rows(context, "NET-DACH")
    job = add_job(context, "NET-DACH")
    timer = load_functions(app).call("worker_timer")  # the function object function_app.py registers

    with caplog.at_level(logging.WARNING):
        timer(TimerRequest(past_due=True))

    done = context.jobs.get(job.job_id)
    assert done is not None and done.status == Status.SUCCEEDED
    [run] = WorkerRunsRepository(context.db).list_recent(5)
    assert (run.trigger, run.claimed, run.succeeded) == ("timer", 1, 1)
    assert any("past due" in record.getMessage() for record in caplog.records)
