"""Attempts cannot cross: every write of an attempt is fenced on its claim token, a lost attempt stays in
the history, and a database outage spends no attempt.

The model is the real openai SDK against the local stub; the database a real SQLite file.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from shared.app_context import AppContext
from shared.clock import utc_now
from shared.db import Database
from shared.db.sqlite import SqliteConnector
from shared.jobs.actions import JobActions
from shared.jobs.history import timeline
from shared.jobs.models import Status
from shared.jobs.repository import GeneratedReport, JobsRepository
from shared.worker.runner import PassSummary, run_pass
from tests.support import llm_stub
from tests.support.llm_stub import SAMPLE_REPORT, LlmStub
from tests.worker.helpers import FAST, add_job, add_week_rows

# No heartbeat and no cancel check during the test: the old attempt learns nothing until it tries to
# finish, which is the widest window for a crossing.
BLIND = replace(FAST, heartbeat_seconds=60, cancel_check_seconds=60)
OLD = dict(SAMPLE_REPORT, headline="OLD attempt's answer")
NEW = dict(SAMPLE_REPORT, headline="NEW attempt's answer")


def pass_in_background(context: AppContext) -> tuple[threading.Thread, list[PassSummary]]:
    result: list[PassSummary] = []
    thread = threading.Thread(target=lambda: result.append(run_pass(context, "api", budget_seconds=30, options=BLIND)))
    thread.start()
    return thread, result


def wait_until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting")


@pytest.mark.parametrize("run", range(5))
def test_cancel_then_retry_during_the_model_call_stores_only_the_new_attempts_answer(model: AppContext, stub: LlmStub, run: int) -> None:
    add_week_rows(model, "NET-X")
    add_week_rows(model, "NET-Y")
    job = add_job(model, "NET-X", created_at=utc_now() - timedelta(seconds=2))  # claimed first
    add_job(model, "NET-Y")
    stub.route("NET-X", llm_stub.slow(3.0, llm_stub.ok(OLD)), llm_stub.ok(NEW))
    stub.route("NET-Y", llm_stub.slow(1.0))  # finishing frees the slot the same pass re-claims NET-X in
    thread, result = pass_in_background(model)
    wait_until(lambda: stub.requests_mentioning("NET-X"))

    actions = JobActions(model.db, max_attempts=3)
    assert actions.cancel(job.job_id, "ada").skipped is None
    assert actions.retry(job.job_id, "ada").skipped is None
    thread.join(timeout=20)

    assert not thread.is_alive()
    found = model.jobs.get_with_snapshot(job.job_id)
    assert found is not None
    final, snapshot = found
    assert len(stub.requests_mentioning("NET-X")) == 2, "the retried job was claimed again in the same pass"
    assert final.status == Status.SUCCEEDED and final.attempts == 2
    assert snapshot is not None and snapshot.analysis()["headline"] == NEW["headline"]
    events = timeline(final, model.jobs.history(job.job_id))
    assert [event.to_status for event in events] == ["queued", "running", "canceled", "queued", "running", "succeeded"]
    [summary] = result
    assert summary.succeeded == 2  # NET-Y and NET-X's second attempt; the first attempt was dropped


def test_an_attempt_reaped_by_another_host_cannot_finish_and_stays_in_the_history(model: AppContext) -> None:
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA")
    host_a = JobsRepository(model.db)
    host_b = JobsRepository(Database(SqliteConnector(model.settings.sqlite_path)))  # another process's pool, same file
    [attempt_1] = host_a.claim("host-a:1:aaaa", 1, 30, utc_now() - timedelta(minutes=5))  # host A froze after claiming

    assert host_b.reap_expired(utc_now(), retry_at=utc_now()) == (1, 0)
    [attempt_2] = host_b.claim("host-b:1:bbbb", 1, 60, utc_now())
    assert attempt_2.job_id == job.job_id and attempt_2.claim_token != attempt_1.claim_token

    report = GeneratedReport('{"headline": "from the frozen host"}', 1, "m", 1)
    assert not host_a.complete(attempt_1, report, utc_now())  # A wakes up: its answer is discarded
    assert not host_a.renew_lease(attempt_1, 60, utc_now())
    assert host_b.complete(attempt_2, GeneratedReport('{"headline": "B"}', 1, "m", 1), utc_now())

    current = host_b.get(job.job_id)
    assert current is not None and current.status == Status.SUCCEEDED and current.attempts == 2
    events = timeline(current, model.jobs.history(job.job_id))
    starts = [event for event in events if event.to_status == Status.RUNNING]
    assert len(starts) == current.attempts  # "Attempts 2 of 3" matches the rows shown
    lost = next(event for event in events if event.from_status == Status.RUNNING and event.to_status == Status.QUEUED)
    assert lost.actor == "lease reaper" and "worker lost: lease expired (attempt 1 of 3)" in (lost.detail or "")
    assert starts[0].actor == "host-a:1:aaaa"


def test_a_transient_retry_keeps_the_attempt_in_the_history(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA")
    stub.script(llm_stub.server_error(503), llm_stub.ok())

    run_pass(model, "api", budget_seconds=30, options=FAST)

    final = model.jobs.get(job.job_id)
    assert final is not None and final.status == Status.SUCCEEDED and final.attempts == 2
    events = timeline(final, model.jobs.history(job.job_id))
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, Status.QUEUED),
        (Status.QUEUED, Status.RUNNING),
        (Status.RUNNING, Status.QUEUED),
        (Status.QUEUED, Status.RUNNING),
        (Status.RUNNING, Status.SUCCEEDED),
    ]
    assert "the model endpoint failed (503)" in (events[2].detail or "")


def test_a_database_outage_during_a_job_spends_no_attempt_and_fails_nothing(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA", max_attempts=1)  # one attempt: spending it would fail the job for good
    path = model.settings.sqlite_path
    stub.default = llm_stub.slow(0.5)
    moved = f"{path}.away"
    thread, result = pass_in_background(model)
    wait_until(lambda: stub.requests)
    os.rename(path, moved)  # the database disappears while the model answers
    time.sleep(1.5)  # the job finds it gone when it stores its answer, and waits for it
    os.rename(moved, path)
    thread.join(timeout=20)

    # Released with its attempt unspent once the file was back, then claimed again by the same pass.
    final = model.jobs.get(job.job_id)
    assert final is not None and final.status == Status.SUCCEEDED and final.attempts == 1, final
    assert len(stub.requests) == 2
    [summary] = result
    assert summary.failed == 0 and summary.requeued == 1 and summary.succeeded == 1
