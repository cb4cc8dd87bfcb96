"""The model's rate-limit headers hold back this process's next calls instead of meeting a 429."""

from __future__ import annotations

import pytest

from shared.app_context import AppContext
from shared.jobs.models import Status
from shared.reports.rate_limits import low_budget_pause, parse_duration
from shared.worker.options import WorkerOptions
from shared.worker.runner import run_pass
from tests.support import llm_stub
from tests.support.jobs import add_job
from tests.support.llm_stub import LlmStub, RateWindow
from tests.worker.helpers import FAST, add_week_rows

ONE_AT_A_TIME = WorkerOptions(**{**FAST.__dict__, "concurrency": 1})


@pytest.mark.parametrize(
    ("headers", "pause"),
    [
        ({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "2s"}, 2.0),
        ({"x-ratelimit-limit-tokens": "100000", "x-ratelimit-remaining-tokens": "4000", "x-ratelimit-reset-tokens": "6m0s"}, 60.0),  # capped
        ({"x-ratelimit-limit-requests": "100", "x-ratelimit-remaining-requests": "50", "x-ratelimit-reset-requests": "1s"}, None),
        ({"x-ratelimit-remaining-requests": "1"}, 1.0),  # no reset sent: a second
        ({}, None),
    ],
)
def test_a_nearly_spent_budget_asks_for_a_pause_until_it_resets(headers: dict[str, str], pause: float | None) -> None:
    assert low_budget_pause(headers) == pause


@pytest.mark.parametrize(
    ("remaining", "reserve", "pause"),
    [
        (30, 24, None),  # more left than every running job could still send before the news spreads
        (24, 24, 2.0),  # no more than that: hold the next calls until the window resets
        (40, 200, 2.0),  # a reserve above the window's budget counts as half the window, not all of it
        (60, 200, None),
    ],
)
def test_the_gate_keeps_back_the_calls_other_instances_may_send(remaining: int, reserve: int, pause: float | None) -> None:
    headers = {"x-ratelimit-limit-requests": "100", "x-ratelimit-remaining-requests": str(remaining), "x-ratelimit-reset-requests": "2s"}
    assert low_budget_pause(headers, reserve) == pause


def test_reset_times_read_as_the_endpoints_write_them() -> None:
    assert [parse_duration(value) for value in ("20ms", "1s", "6m0s", "1h2m3.5s", "0.5", "soon")] == [0.02, 1.0, 360.0, 3723.5, 0.5, None]


def test_the_next_call_waits_for_the_reset_the_headers_name(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-EMEA")
    add_week_rows(model, "NET-APAC")
    jobs = [add_job(model.db, "NET-EMEA"), add_job(model.db, "NET-APAC")]
    stub.script(llm_stub.near_limit(remaining_requests=0, reset="1s"))  # then good answers with no headers

    run_pass(model, "api", budget_seconds=30, options=ONE_AT_A_TIME)

    assert [model.jobs.get(job.job_id).status for job in jobs] == [Status.SUCCEEDED, Status.SUCCEEDED]  # type: ignore[union-attr]
    first, second = stub.requests
    assert second.received_at - first.received_at >= 0.9  # held back for the reset, not sent into a 429


def test_the_reserve_for_other_instances_holds_calls_back_before_the_budget_is_spent(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-EMEA")
    add_week_rows(model, "NET-APAC")
    jobs = [add_job(model.db, "NET-EMEA"), add_job(model.db, "NET-APAC")]
    # 8 of 100 left: more than the 5% floor, but 10 jobs may run at once across the instances.
    stub.script(llm_stub.near_limit(remaining_requests=8, reset="1s"))
    shared_limit = WorkerOptions(**{**ONE_AT_A_TIME.__dict__, "global_concurrency": 10})

    run_pass(model, "api", budget_seconds=30, options=shared_limit)

    assert [model.jobs.get(job.job_id).status for job in jobs] == [Status.SUCCEEDED, Status.SUCCEEDED]  # type: ignore[union-attr]
    first, second = stub.requests
    assert second.received_at - first.received_at >= 0.9


def test_a_fourth_429_in_a_row_spends_the_attempt_and_backs_off(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-EMEA")
    job = add_job(model.db, "NET-EMEA")
    stub.default = llm_stub.rate_limited(retry_after=0.2)

    run_pass(model, "api", budget_seconds=30, options=ONE_AT_A_TIME)

    after = model.jobs.get(job.job_id)
    assert after is not None and (after.status, after.attempts) == (Status.QUEUED, 1)
    assert "rate limiting (429)" in (after.reason or "") and "retry 2 of 3" in (after.reason or "")
    assert len(stub.requests) == 1 + ONE_AT_A_TIME.rate_limit_waits  # the first call and its three waits, then no more


def test_jobs_behind_a_request_quota_all_succeed_without_spending_attempts(model: AppContext, stub: LlmStub) -> None:
    stub.rate_limit = RateWindow(requests=4, seconds=1)  # a quarter of what 4 threads behind an instant model would send
    scopes = ["NET-EMEA", "NET-APAC", "NET-AMER", "NET-LATAM", "NET-DACH"]
    for scope in scopes:
        add_week_rows(model, scope, "2026-W08")  # W07 and W08
    jobs = [add_job(model.db, scope, iso_week=week) for scope in scopes for week in ("2026-W07", "2026-W08")]

    run_pass(model, "api", budget_seconds=60, options=WorkerOptions(**{**FAST.__dict__, "concurrency": 4}))

    finished = [model.jobs.get(job.job_id) for job in jobs]
    assert [(job.status, job.attempts) for job in finished if job] == [(Status.SUCCEEDED, 1)] * len(jobs)
    assert stub.rate_limit.refused < len(stub.requests) * 0.5  # the headers slowed the calls; 429s did not pace them
