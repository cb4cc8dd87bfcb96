"""A pass stops claiming when its time budget is spent, and leaves nothing running."""

from __future__ import annotations

from datetime import timedelta

from shared.app_context import AppContext
from shared.jobs.models import Status
from shared.worker.runner import run_pass
from tests.support.llm_stub import LlmStub
from tests.worker.helpers import FAST, add_job, add_week_rows

JOBS = 12


def test_claims_stop_at_the_budget_and_unclaimed_jobs_stay_queued(model: AppContext, stub: LlmStub) -> None:
    stub.latency = 0.25  # two at a time: about eight jobs a second
    add_week_rows(model, "NET-EMEA")
    jobs = [add_job(model, "NET-EMEA") for _ in range(JOBS)]

    summary = run_pass(model, "timer", budget_seconds=0.4, options=FAST)

    states = [model.jobs.get(job.job_id) for job in jobs]
    statuses = [state.status for state in states if state is not None]
    claimed = [state for state in states if state is not None and state.started_at is not None]
    assert 0 < summary.claimed < JOBS
    # A job claimed near the end may be released unfinished (no attempt spent) rather than outlive the pass.
    assert statuses.count(Status.SUCCEEDED) == summary.succeeded == len(claimed)
    assert summary.succeeded + summary.requeued == summary.claimed
    assert statuses.count(Status.QUEUED) == summary.still_queued == JOBS - summary.succeeded
    assert Status.RUNNING not in statuses
    # Every claim happened inside the budget (claims are stamped with the pass's clock; the slack
    # covers the instant between the budget check and the stamp).
    last_claim = max(state.started_at for state in claimed if state.started_at)
    assert last_claim <= summary.started_at + timedelta(seconds=0.4 + 0.05)
