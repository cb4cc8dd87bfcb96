"""Leases: renewed while a long model call runs; an expired one is reaped, or fails the job when no attempts are left."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import timedelta

from shared.app_context import AppContext
from shared.clock import utc_now
from shared.jobs.models import Status
from shared.worker.runner import PassSummary, run_pass
from tests.support import llm_stub
from tests.support.llm_stub import LlmStub
from tests.worker.helpers import FAST, add_job, add_week_rows, snapshot_count


def test_a_model_call_longer_than_the_lease_keeps_its_job(model: AppContext, stub: LlmStub) -> None:
    stub.script(llm_stub.slow(2.5))
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA")
    short_lease = replace(FAST, lease_seconds=1, heartbeat_seconds=0.25)
    result: list[PassSummary] = []
    thread = threading.Thread(target=lambda: result.append(run_pass(model, "timer", budget_seconds=30, options=short_lease)))
    thread.start()
    assert stub.wait_for_requests(1)
    time.sleep(1.5)  # longer than the lease: only renewals keep the job from being reaped

    rival = run_pass(model, "http", budget_seconds=5, options=FAST)
    thread.join(timeout=10)

    assert (rival.reaped, rival.claimed) == (0, 0)
    final = model.jobs.get(job.job_id)
    assert final is not None and (final.status, final.attempts) == (Status.SUCCEEDED, 1)
    assert result[0].succeeded == 1 and snapshot_count(model, job.job_id) == 1


def test_an_expired_lease_with_no_attempts_left_fails_as_worker_lost(offline: AppContext) -> None:
    add_week_rows(offline, "NET-EMEA")
    job = add_job(offline, "NET-EMEA", max_attempts=1)
    # A worker that claimed the job an hour ago and then vanished.
    [claimed] = offline.jobs.claim("ghost:1:deadbeef", 1, 60, utc_now() - timedelta(hours=1))
    assert claimed.job_id == job.job_id

    summary = run_pass(offline, "timer", budget_seconds=5, options=FAST)

    final = offline.jobs.get(job.job_id)
    assert final is not None
    assert (final.status, final.attempts, final.reason) == (Status.FAILED, 1, "worker lost: lease expired (attempt 1 of 1; no attempts left)")
    assert (summary.reaped, summary.claimed) == (1, 0)
