"""A worker pass: reap expired leases, claim jobs up to the concurrency, run them on threads, stop
claiming when the time budget is spent, and record the pass.

A pass never outlives `budget + model timeout + finish margin`: jobs still waiting on a model then
are released to the queue (no attempt spent) rather than left running.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from shared.app_context import AppContext, get_context
from shared.clock import iso_z, utc_now
from shared.jobs import audit
from shared.jobs.audit import AuditRepository
from shared.jobs.models import Action, Job
from shared.notify import after_pass as notify_after_pass
from shared.reports.generators import Generator, generator_for
from shared.reports.generators.choices import longest_call_seconds
from shared.reports.source_rows import SourceRowsRepository
from shared.schedules import run_due as run_due_schedules
from shared.traces.recorder import CallRecorder
from shared.worker import dispatch, lifecycle
from shared.worker.job_runner import Ending, JobRunner
from shared.worker.options import WorkerOptions
from shared.worker.redact import one_line, secret_values
from shared.worker.runs import COUNTS, WorkerRunsRepository

log = logging.getLogger(__name__)
# The pass's counters (columns of exec_report_worker_runs) by the transition each attempt ended with.
PASS_COUNTERS = {Action.COMPLETE: "succeeded", Action.FAIL: "failed", Action.BACKOFF: "requeued", Action.RELEASE: "requeued", Action.CANCEL: "canceled"}


@dataclass
class PassSummary:
    run_id: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None = None
    reaped: int = 0
    claimed: int = 0
    succeeded: int = 0
    failed: int = 0
    requeued: int = 0
    canceled: int = 0
    still_queued: int = 0
    ms: int = 0
    error: str | None = None

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"], data["finished_at"] = iso_z(self.started_at), iso_z(self.finished_at)
        return data


class _Pass:
    def __init__(
        self,
        context: AppContext,
        summary: PassSummary,
        worker_id: str,
        claim_deadline: float,
        options: WorkerOptions,
        generator: Generator,
        clock: Callable[[], datetime],
        secrets: list[str],
    ) -> None:
        self.jobs = context.jobs
        self.summary, self.worker_id, self.options, self.clock = summary, worker_id, options, clock
        self.claim_deadline = claim_deadline
        end = self.claim_deadline + longest_call_seconds(context.settings, generator) + options.finish_margin_seconds
        self.secrets = secrets
        rows = SourceRowsRepository(context.db, context.settings.source_rows_table)
        calls = CallRecorder(context.db, context.settings, generator, secrets, clock)
        self.runner = JobRunner(context.jobs, rows, generator, options, end, clock, self.secrets, calls)

    def may_claim(self) -> bool:
        return self.summary.error is None and not lifecycle.stop_requested() and time.monotonic() < self.claim_deadline

    def run(self, sweep: Callable[[datetime], int] | None = None) -> None:
        try:
            now = self.clock()
            requeued, failed = self.jobs.reap_expired(now, retry_at=now)  # requeued jobs are sent to the queue on commit
            self.summary.reaped = requeued + failed
        except Exception as exc:
            self.record_error("could not reap expired leases", exc)
        if sweep is not None:
            try:
                sweep(self.clock())
                return  # the queue trigger runs them, on every instance
            except Exception as exc:
                # The queue is down: this pass runs the jobs itself, as before the queue existed.
                log.warning("worker pass %s: the sweep could not use the job queue, so it runs queued jobs itself: %s", self.summary.run_id, exc)
        in_flight: dict[Future[Ending], Job] = {}
        queue_empty = False
        with ThreadPoolExecutor(max_workers=self.options.concurrency, thread_name_prefix="report-job") as pool:
            while True:
                free = self.options.concurrency - len(in_flight)
                if free and not queue_empty and self.may_claim():
                    claimed = self._claim(free)
                    queue_empty = len(claimed) < free
                    for job in claimed:
                        in_flight[pool.submit(self.runner.run, job)] = job
                if not in_flight:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    self._tally(in_flight.pop(future), future)
                queue_empty = False  # a slot is free again: look for work (retries may be due)

    def _claim(self, limit: int) -> list[Job]:
        try:
            claimed = self.jobs.claim(self.worker_id, limit, int(self.options.lease_seconds), self.clock(), self.options.global_concurrency)
        except Exception as exc:
            self.record_error("could not claim jobs", exc)
            return []
        self.summary.claimed += len(claimed)
        return claimed

    def _tally(self, job: Job, future: Future[Ending]) -> None:
        try:
            ending = future.result()
        except Exception as exc:
            # Its outcome could not be written (database gone); the lease will expire and the reaper takes it.
            self.record_error(f"could not record the outcome of job {job.job_id}", exc)
            return
        if ending is not None:
            counter = PASS_COUNTERS[ending]
            setattr(self.summary, counter, getattr(self.summary, counter) + 1)

    def record_error(self, what: str, exc: Exception) -> None:
        record_error(self.summary, what, exc, self.secrets)


def record_error(summary: PassSummary, what: str, exc: Exception, secrets: list[str]) -> None:
    """Keep the pass's first error (later ones usually follow from it) and log each one."""
    message = one_line(f"{what}: {type(exc).__name__}: {exc}", secrets)
    log.error("worker pass %s: %s", summary.run_id, message)
    summary.error = summary.error or message


def new_worker_id(run_id: str) -> str:
    """Host, process and pass: each pass fences its own jobs, even beside another pass in one process."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{run_id[:8]}"


def run_pass(
    context: AppContext,
    trigger: str,
    budget_seconds: float,
    actor: str | None = None,
    *,
    options: WorkerOptions | None = None,
    generator: Generator | None = None,
    clock: Callable[[], datetime] = utc_now,
    sweep: Callable[[datetime], int] | None = None,
) -> PassSummary:
    """A pass; with `sweep`, it reaps and hands queued jobs to the queue instead of running them."""
    run_id = uuid.uuid4().hex
    worker_id = new_worker_id(run_id)
    started = time.monotonic()  # the budget runs from the moment the pass says it started
    summary = PassSummary(run_id=run_id, trigger=trigger, started_at=clock())
    runs = WorkerRunsRepository(context.db)
    runs.start(run_id, trigger, worker_id, summary.started_at)  # no database, no pass: let it raise
    log.info("worker pass %s started (trigger=%s%s)", run_id, trigger, f", by {actor}" if actor else "")
    secrets = secret_values(context.settings)
    try:
        # A generator that cannot be built (bad endpoint, no credential) is this pass's error, recorded below.
        work = _Pass(
            context,
            summary,
            worker_id,
            started + budget_seconds,
            options or WorkerOptions.from_settings(context.settings),
            generator or generator_for(context.settings),
            clock,
            secrets,
        )
        work.run(sweep)
    except Exception as exc:
        record_error(summary, "the pass could not run", exc, secrets)
    try:
        summary.still_queued = context.jobs.counts()["queued"]
    except Exception as exc:
        record_error(summary, "could not count queued jobs", exc, secrets)
    summary.finished_at = clock()
    summary.ms = int((time.monotonic() - started) * 1000)
    try:
        runs.finish(run_id, summary.finished_at, summary.counts(), summary.error)
    except Exception as exc:
        record_error(summary, "could not record the pass", exc, secrets)
    notify_after_pass(context, clock)  # alerts read the jobs' committed states, on their own thread
    log.info("worker pass %s finished: %s", run_id, summary.to_dict())
    return summary


def run_timer_pass() -> PassSummary:
    context = get_context()
    run_due_schedules(context, utc_now())  # first, so the jobs due rules queue run in this same pass
    sweep = functools.partial(dispatch.sweep, context) if context.dispatcher is not None else None
    return run_pass(context, "timer", context.settings.worker_timer_budget_seconds, sweep=sweep)


def run_manual_pass(trigger: str, actor: str) -> PassSummary:
    """A pass an admin asked for, audited (the timer's passes are recorded as worker runs only)."""
    context = get_context()
    summary = run_pass(context, trigger, context.settings.worker_http_budget_seconds, actor)
    counts = ", ".join(f"{getattr(summary, name)} {name}" for name in ("claimed", "succeeded", "failed", "requeued", "canceled") if getattr(summary, name))
    detail = f"run {summary.run_id}: {counts or 'no jobs claimed'}"
    context.db.run(lambda tx: AuditRepository.add(tx, utc_now(), actor, audit.TRIGGER_WORKER, None, detail))
    return summary
