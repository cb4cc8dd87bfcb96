"""The timer function that function_app.py registers runs a worker pass."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from azure.functions.timer import TimerRequest

from function_app import app
from local_host.functions import load_functions
from shared.app_context import get_context
from shared.jobs.models import Status
from shared.worker.runs import WorkerRunsRepository
from tests.support.jobs import add_job
from tests.worker.helpers import add_week_rows


def test_the_timer_function_runs_a_pass_and_warns_when_past_due(app_db_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_DISPATCH", "timer")  # without a queue the timer's pass runs the jobs itself (tests/queue: the sweep)
    context = get_context()
    add_week_rows(context, "NET-DACH")
    job = add_job(context.db, "NET-DACH")
    timer = load_functions(app).call("worker_timer")  # the function object function_app.py registers

    with caplog.at_level(logging.WARNING):
        timer(TimerRequest(past_due=True))

    done = context.jobs.get(job.job_id)
    assert done is not None and done.status == Status.SUCCEEDED
    [run] = WorkerRunsRepository(context.db).list_recent(5)
    assert (run.trigger, run.claimed, run.succeeded) == ("timer", 1, 1)
    assert any("past due" in record.getMessage() for record in caplog.records)
