"""One queue message, one job: claim the job it names (fenced and leased as in a pass) and run it.

The database decides, the message only wakes us: a job that is no longer queued makes the message a
no-op; one not yet due (a duplicate sent before its backoff ran out) is sent again for then; and
when WORKER_GLOBAL_CONCURRENCY jobs already run, the message waits here for a slot (another job in
this process finishing wakes it at once; other processes' are seen by polling) and, if none frees
up in time, is sent again a moment later instead of failing its way into the poison queue.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from shared.app_context import AppContext
from shared.clock import utc_now
from shared.jobs.models import Action
from shared.jobs.repository import AT_LIMIT, NOT_DUE, ClaimOne
from shared.jobs.wakeups import Runnable
from shared.notify import after_pass as notify_after_pass
from shared.queue import messages
from shared.reports.generators import Generator, generator_for
from shared.reports.generators.choices import longest_call_seconds
from shared.reports.source_rows import SourceRowsRepository
from shared.traces.recorder import CallRecorder
from shared.worker import lifecycle
from shared.worker.job_runner import JobRunner
from shared.worker.options import WorkerOptions
from shared.worker.redact import secret_values
from shared.worker.runner import new_worker_id

log = logging.getLogger(__name__)
SLOT_WAIT_SECONDS = 20.0  # well inside the queue's visibility timeout and functionTimeout
SLOT_POLL_SECONDS = (0.02, 0.1)  # first and longest wait between looks at the running count (a read)
RESEND_DELAY_SECONDS = (1, 3)  # a message that found no slot comes back after this long (jittered)
SKIPPED, DEFERRED, LOST = "skipped", "deferred", "lost"

_slot_freed = threading.Condition()  # a job in this process ended: waiting messages look again now


def run_message(
    context: AppContext,
    body: str,
    *,
    options: WorkerOptions | None = None,
    generator: Generator | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> str:
    """Run the job `body` names; how its attempt ended (the transition's name, or LOST), SKIPPED or DEFERRED. Raises BadMessage for a
    message that names no job, and DatabaseUnavailable, so the host retries (and at last poisons) it."""
    job_id = messages.decode(body)
    options = options or WorkerOptions.from_settings(context.settings)
    started = time.monotonic()
    worker_id = new_worker_id(uuid.uuid4().hex)
    claim = _claim_when_free(context, job_id, worker_id, options, clock, started + SLOT_WAIT_SECONDS)
    if claim.job is None:
        return _not_claimed(context, job_id, claim)
    generator = generator or generator_for(context.settings)
    deadline = started + context.settings.worker_timer_budget_seconds + longest_call_seconds(context.settings, generator) + options.finish_margin_seconds
    rows = SourceRowsRepository(context.db, context.settings.source_rows_table)
    secrets = secret_values(context.settings)
    calls = CallRecorder(context.db, context.settings, generator, secrets, clock)
    runner = JobRunner(context.jobs, rows, generator, options, deadline, clock, secrets, calls)
    try:
        ending = runner.run(claim.job)
    finally:
        with _slot_freed:
            _slot_freed.notify_all()
    if ending is Action.FAIL:
        notify_after_pass(context, clock)  # alerts read the committed state on their own thread
    log.info("job %s from the queue: %s", job_id, ending or LOST)
    return str(ending or LOST)


def _claim_when_free(context: AppContext, job_id: str, worker_id: str, options: WorkerOptions, clock: Callable[[], datetime], until: float) -> ClaimOne:
    pause = SLOT_POLL_SECONDS[0]
    while True:
        claim = context.jobs.claim_one(job_id, worker_id, int(options.lease_seconds), clock(), options.global_concurrency)
        if claim.refused != AT_LIMIT or time.monotonic() + pause > until or lifecycle.stop_requested():
            return claim
        # A read, not a claim, until a slot looks free: waiting messages must not queue on the write lock.
        while context.jobs.running_count() >= options.global_concurrency and time.monotonic() + pause <= until and not lifecycle.stop_requested():
            with _slot_freed:
                _slot_freed.wait(pause)
            pause = min(pause * 2, SLOT_POLL_SECONDS[1])


def _not_claimed(context: AppContext, job_id: str, claim: ClaimOne) -> str:
    dispatcher = context.dispatcher
    if claim.refused == NOT_DUE and dispatcher is not None:
        dispatcher.send([Runnable(job_id, claim.due_in_seconds)])
        log.info("job %s is not due for %.0f s; its message comes back then", job_id, claim.due_in_seconds)
        return DEFERRED
    if claim.refused == AT_LIMIT and dispatcher is not None:
        dispatcher.send([Runnable(job_id, random.uniform(*RESEND_DELAY_SECONDS))])
        log.info("job %s found all %d global slots busy; its message comes back shortly", job_id, context.settings.worker_global_concurrency)
        return DEFERRED
    log.info("job %s needs no run (%s%s); message dropped", job_id, claim.refused, f": it is {claim.status}" if claim.status else "")
    return SKIPPED
