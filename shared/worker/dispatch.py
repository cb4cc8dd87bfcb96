"""Putting queued jobs on the job queue by hand or from the sweep: "Trigger Worker Now", lost
messages, and rows other applications inserted straight into the table."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from shared.app_context import AppContext
from shared.jobs.wakeups import Runnable

log = logging.getLogger(__name__)
DISPATCH_LIMIT = 1000  # jobs one dispatch sends; the next one (or the next sweep) sends the rest
# A queued job older than this with no worker on it lost its message (or never had one): the
# trigger picks a message up within seconds, so this is long past any that is merely in flight.
SWEEP_AGE = timedelta(seconds=60)


class QueueUnavailable(RuntimeError):
    """Some messages could not be sent; the message says how many."""


def dispatch_queued(context: AppContext, before: datetime, limit: int = DISPATCH_LIMIT) -> int:
    """Send a message for each job queued and due since before `before`; how many were sent.

    Raises QueueUnavailable when the queue refused some, so a sweep can run them itself instead."""
    dispatcher = context.dispatcher
    if dispatcher is None:
        return 0
    job_ids = context.jobs.stale_queued(before, limit)
    sent = dispatcher.send_and_count(Runnable(job_id) for job_id in job_ids)
    if sent < len(job_ids):
        raise QueueUnavailable(f"the job queue took {sent} of {len(job_ids)} messages")
    if job_ids:
        log.info("sent %d queued job(s) to queue %s", sent, dispatcher.queue_name)
    return sent


def sweep(context: AppContext, now: datetime) -> int:
    """The timer's part once the queue trigger runs jobs: re-send what waited too long."""
    return dispatch_queued(context, now - SWEEP_AGE)
