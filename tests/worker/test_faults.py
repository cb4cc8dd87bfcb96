"""Each model fault ends in the right state, with the right reason and attempt count."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from shared.app_context import AppContext
from shared.clock import utc_now
from shared.jobs.models import Job, Status
from shared.traces.capture import ERROR, VALID
from shared.traces.repository import TracesRepository
from shared.worker.options import WorkerOptions
from shared.worker.runner import run_pass
from tests.support import llm_stub
from tests.support.jobs import add_job
from tests.support.llm_stub import LlmStub, Reply
from tests.worker.helpers import API_KEY, FAST, add_week_rows, make_context, openai_env, settings_for

IMPATIENT = WorkerOptions(**{**FAST.__dict__, "rate_limit_wait_max_seconds": 5.0})  # a 429 asking for more spends the attempt


def run_one(context: AppContext, max_attempts: int = 3, options: WorkerOptions = FAST, **pass_args: object) -> Job:
    add_week_rows(context, "NET-EMEA")
    job = add_job(context.db, "NET-EMEA", max_attempts=max_attempts)
    run_pass(context, "api", budget_seconds=30, options=options, **pass_args)  # type: ignore[arg-type]
    found = context.jobs.get(job.job_id)
    assert found is not None
    return found


def test_a_429_is_waited_out_in_place_and_the_same_attempt_succeeds(model: AppContext, stub: LlmStub) -> None:
    stub.script(llm_stub.rate_limited(retry_after=1))  # then a good answer

    job = run_one(model)

    assert (job.status, job.attempts, job.reason) == (Status.SUCCEEDED, 1, "ok")  # the endpoint's pause spent no attempt
    first, second = stub.requests
    assert second.received_at - first.received_at >= 0.9  # sent again after the wait it asked for
    calls = TracesRepository(model.db).calls(job.job_id)
    assert [(call.attempt, call.outcome) for call in calls] == [(1, ERROR), (1, VALID)]
    assert "RateLimitError" in (calls[0].problem or "")


def test_rate_limit_honours_retry_after_then_fails_when_attempts_run_out(model: AppContext, stub: LlmStub) -> None:
    stub.default = llm_stub.rate_limited(retry_after=7)  # longer than this worker waits in place
    before = utc_now()

    job = run_one(model, options=IMPATIENT)

    assert (job.status, job.attempts) == (Status.QUEUED, 1)
    assert "rate limiting (429)" in (job.reason or "") and "retry 2 of 3" in (job.reason or "")
    assert job.run_after is not None and job.run_after >= before + timedelta(seconds=7)
    assert job.error_detail and "RateLimitError" in job.error_detail

    # Later passes, each after the wait the endpoint asked for.
    for skip in (8, 16):
        run_pass(model, "timer", budget_seconds=30, options=IMPATIENT, clock=lambda skip=skip: utc_now() + timedelta(seconds=skip))
    final = model.jobs.get(job.job_id)
    assert final is not None
    assert (final.status, final.attempts) == (Status.FAILED, 3)
    assert final.reason == "the model endpoint is rate limiting (429) (attempt 3 of 3; no attempts left)"
    assert len(stub.requests) == 3


def test_server_error_is_retried_and_the_retry_succeeds(model: AppContext, stub: LlmStub) -> None:
    stub.script(llm_stub.server_error(500))

    job = run_one(model)

    assert (job.status, job.attempts, job.reason, job.error_detail) == (Status.SUCCEEDED, 2, "ok", None)
    assert len(stub.requests) == 2


def test_server_errors_fail_the_job_after_the_last_attempt(model: AppContext, stub: LlmStub) -> None:
    stub.default = llm_stub.server_error(503)

    job = run_one(model, max_attempts=2)

    assert (job.status, job.attempts) == (Status.FAILED, 2)
    assert job.reason == "the model endpoint failed (503) (attempt 2 of 2; no attempts left)"


def test_a_request_slower_than_the_timeout_is_retried_then_fails(stub: LlmStub, db_path: Path) -> None:
    context = make_context(settings_for(db_path, **openai_env(stub.base_url, timeout=0.3)))
    stub.default = llm_stub.slow(3)

    job = run_one(context, max_attempts=2)

    assert (job.status, job.attempts) == (Status.FAILED, 2)
    assert job.reason == "the model request timed out after 0.3 s (attempt 2 of 2; no attempts left)"
    assert job.error_detail and "APITimeoutError" in job.error_detail
    context.db.close()


def test_an_unreachable_endpoint_is_a_connection_error(db_path: Path) -> None:
    with LlmStub() as gone:
        url = gone.base_url
    context = make_context(settings_for(db_path, **openai_env(url)))

    job = run_one(context, max_attempts=2)

    assert (job.status, job.attempts) == (Status.FAILED, 2)
    assert job.reason == "could not reach the model endpoint (connection error) (attempt 2 of 2; no attempts left)"
    context.db.close()


def test_output_that_breaks_the_schema_gets_one_retry_with_the_problem_explained(model: AppContext, stub: LlmStub) -> None:
    stub.script(llm_stub.text('{"headline": "only a headline"}'))

    job = run_one(model)

    assert (job.status, job.attempts) == (Status.SUCCEEDED, 1)
    _, second = stub.requests
    correction = second.body["messages"][-1]["content"]
    assert "does not match the report schema" in correction and "missing 'summary'" in correction
    found = model.jobs.get_with_snapshot(job.job_id)
    assert found is not None and found[1] is not None
    assert (found[1].prompt_tokens, found[1].completion_tokens) == (642, 246)  # both calls counted


def test_output_still_invalid_after_the_retry_fails_at_once(model: AppContext, stub: LlmStub) -> None:
    stub.default = llm_stub.text("Sure! Here is your report: revenue went up.")

    job = run_one(model)

    assert (job.status, job.attempts) == (Status.FAILED, 1)
    assert (job.reason or "").startswith("the model's output did not match the report schema after a retry: the output is not JSON")
    assert len(stub.requests) == 2


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (llm_stub.content_filter_prompt(), "the prompt was blocked by the model provider's content filter"),
        (llm_stub.content_filter_answer(), "the model's answer was blocked by the content filter"),
        (llm_stub.context_too_long(), "the prompt is too long for the model's context window"),
        (llm_stub.unauthorized(echo=API_KEY), "the model endpoint rejected the credentials (401); check the API key or the managed identity"),
        (llm_stub.forbidden(), "the model endpoint denied access (403); check the identity's role on the resource"),
    ],
    ids=["content-filter-prompt", "content-filter-answer", "context-too-long", "unauthorized", "forbidden"],
)
def test_permanent_faults_fail_at_once(model: AppContext, stub: LlmStub, reply: Reply, reason: str) -> None:
    stub.default = reply

    job = run_one(model, max_attempts=3)

    assert (job.status, job.attempts, job.reason) == (Status.FAILED, 1, reason)
    assert len(stub.requests) == 1
    assert API_KEY not in (job.error_detail or "") and API_KEY[8:] not in (job.error_detail or "")


def test_no_source_rows_fails_without_calling_the_model(model: AppContext, stub: LlmStub) -> None:
    job = add_job(model.db, "NET-NOWHERE")

    summary = run_pass(model, "api", budget_seconds=30, options=FAST)

    found = model.jobs.get(job.job_id)
    assert found is not None
    assert (found.status, found.attempts, found.reason) == (Status.FAILED, 1, "no source rows for network NET-NOWHERE 2026-W07")
    assert summary.failed == 1 and stub.requests == []


def test_a_missing_source_table_fails_with_the_setting_to_fix(stub: LlmStub, db_path: Path) -> None:
    context = make_context(settings_for(db_path, SOURCE_ROWS_TABLE="sales_daily_view", **openai_env(stub.base_url)))
    job = add_job(context.db, "NET-EMEA")

    run_pass(context, "api", budget_seconds=30, options=FAST)

    found = context.jobs.get(job.job_id)
    assert found is not None
    assert (found.status, found.attempts) == (Status.FAILED, 1)
    assert found.reason == ("cannot read source rows from sales_daily_view (SOURCE_ROWS_TABLE): OperationalError: no such table: sales_daily_view")
    context.db.close()
