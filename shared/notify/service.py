"""When notifications run: after each worker pass, on one background thread per process.

The worker's thread only starts (or nudges) that thread, so a pass never waits on a webhook or a
mail server. Anything left undelivered stays in the outbox and is retried after a later pass; that
also covers a host that ends the process before the thread is done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from shared.clock import utc_now
from shared.notify.detect import enabled_channels, queue_failed_jobs, queue_failure_rate
from shared.notify.dispatcher import Dispatcher, DrainSummary
from shared.notify.job_feed import JobFeedRepository
from shared.notify.outbox import OutboxRepository
from shared.worker.redact import one_line, secret_values

if TYPE_CHECKING:
    from shared.app_context import AppContext

log = logging.getLogger(__name__)

DRAIN_BUDGET_SECONDS = 60.0  # stop claiming messages after this; the rest go after the next pass
KEEP = timedelta(days=30)  # outbox rows older than this are deleted

Clock = Callable[[], datetime]

_lock = threading.Lock()
_thread: threading.Thread | None = None
_pending: tuple[AppContext, Clock] | None = None  # a pass ended while the thread was busy: run again


def run_notify_pass(context: AppContext, clock: Clock = utc_now) -> DrainSummary:
    """Queue what the committed job states call for, then deliver what is due."""
    settings = context.settings
    channels = enabled_channels(settings)
    if not channels:
        return DrainSummary()
    outbox, feed = OutboxRepository(context.db), JobFeedRepository(context.db)
    now = clock()
    queue_failed_jobs(feed, outbox, channels, now)
    queue_failure_rate(feed, outbox, settings, now)
    summary = Dispatcher(settings, outbox, clock, secret_values(settings), DRAIN_BUDGET_SECONDS).drain(channels)
    outbox.purge(now - KEEP)
    return summary


def after_pass(context: AppContext, clock: Clock = utc_now) -> None:
    """Called by the worker once a pass has committed its jobs; returns at once and never raises."""
    global _thread, _pending
    try:
        if not enabled_channels(context.settings):
            return
        with _lock:
            if _thread is not None:
                _pending = (context, clock)
                return
            _thread = threading.Thread(target=_work, args=(context, clock), name="notifications", daemon=True)
            _thread.start()
    except Exception as exc:  # notifications must never break the worker
        log.error("could not start notifications: %s", one_line(f"{type(exc).__name__}: {exc}"))


def _work(context: AppContext, clock: Clock) -> None:
    global _thread, _pending
    while True:
        try:
            run_notify_pass(context, clock)
        except Exception as exc:  # the database may be down; the outbox is read again after the next pass
            log.error("notifications pass failed: %s", one_line(f"{type(exc).__name__}: {exc}", secret_values(context.settings)))
        with _lock:
            if _pending is None:
                _thread = None
                return
            (context, clock), _pending = _pending, None


def wait_idle(timeout: float) -> bool:
    """Wait for the notifications thread to finish (tests, and hosts shutting down); True when idle."""
    with _lock:
        thread = _thread
    if thread is not None:
        thread.join(timeout)
    with _lock:
        return _thread is None
