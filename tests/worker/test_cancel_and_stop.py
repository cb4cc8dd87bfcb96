"""A cancel or a stop that arrives during the model call abandons it; nothing is stored."""

from __future__ import annotations

import threading
from dataclasses import replace

from shared.app_context import AppContext
from shared.jobs.actions import JobActions
from shared.jobs.models import Status
from shared.worker import lifecycle
from shared.worker.runner import PassSummary, run_pass
from tests.support import llm_stub
from tests.support.llm_stub import LlmStub
from tests.worker.helpers import FAST, add_job, add_week_rows, snapshot_count


def pass_in_background(context: AppContext) -> tuple[threading.Thread, list[PassSummary]]:
    result: list[PassSummary] = []
    thread = threading.Thread(target=lambda: result.append(run_pass(context, "api", budget_seconds=30, options=FAST)))
    thread.start()
    return thread, result


def test_cancel_during_the_model_call_ends_canceled_with_no_snapshot(model: AppContext, stub: LlmStub) -> None:
    stub.default = llm_stub.slow(20)  # the model would answer only after the test is long over
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA")
    thread, result = pass_in_background(model)
    assert stub.wait_for_requests(1), "the worker never called the model"

    JobActions(model.db, max_attempts=3).cancel(job.job_id, "ada@contoso.com")  # what the admin API calls
    thread.join(timeout=10)

    assert not thread.is_alive(), "the pass kept waiting for the model after the cancel"
    assert stub.answered == 0  # the pass ended before the model answered: the call was abandoned
    final = model.jobs.get(job.job_id)
    assert final is not None
    assert (final.status, final.reason) == (Status.CANCELED, "canceled by ada@contoso.com")
    assert snapshot_count(model, job.job_id) == 0
    [summary] = result
    assert (summary.claimed, summary.canceled, summary.succeeded) == (1, 1, 0)


def test_a_cancel_just_before_completion_wins_over_the_answer(model: AppContext, stub: LlmStub) -> None:
    # The answer arrives, but the job was canceled in between: the fenced completion must refuse it.
    stub.default = llm_stub.slow(0.3)
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA")
    slow_checks = replace(FAST, heartbeat_seconds=60, cancel_check_seconds=60)
    result: list[PassSummary] = []
    thread = threading.Thread(target=lambda: result.append(run_pass(model, "api", budget_seconds=30, options=slow_checks)))
    thread.start()
    assert stub.wait_for_requests(1)

    JobActions(model.db, max_attempts=3).cancel(job.job_id, "ada@contoso.com")  # what the admin API calls
    thread.join(timeout=10)

    final = model.jobs.get(job.job_id)
    assert final is not None and final.status == Status.CANCELED
    assert snapshot_count(model, job.job_id) == 0
    assert result[0].canceled == 1


def test_stop_request_releases_the_running_job_for_a_later_pass(model: AppContext, stub: LlmStub) -> None:
    stub.script(llm_stub.slow(20))
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA")
    thread, result = pass_in_background(model)
    assert stub.wait_for_requests(1)

    lifecycle.request_stop()
    thread.join(timeout=10)

    assert not thread.is_alive()
    released = model.jobs.get(job.job_id)
    assert released is not None
    assert (released.status, released.attempts, released.worker_id) == (Status.QUEUED, 0, None)  # no attempt spent
    assert snapshot_count(model, job.job_id) == 0 and result[0].requeued == 1

    assert run_pass(model, "api", budget_seconds=30, options=FAST).claimed == 0  # still stopping: nothing claimed
    lifecycle.reset()
    run_pass(model, "api", budget_seconds=30, options=FAST)
    finished = model.jobs.get(job.job_id)
    assert finished is not None and (finished.status, finished.attempts) == (Status.SUCCEEDED, 1)
