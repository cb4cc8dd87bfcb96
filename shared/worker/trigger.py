""" "Trigger Worker Now": hand every queued job to the queue trigger and answer at once.

Without a queue (JOB_DISPATCH=timer, or `make run` when Azurite could not start) a manual pass runs
on a background thread instead, so the request still returns at once; the page watches the jobs move.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from shared.app_context import AppContext
from shared.clock import utc_now
from shared.jobs import audit
from shared.jobs.audit import AuditRepository
from shared.worker.dispatch import dispatch_queued
from shared.worker.runner import run_manual_pass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Triggered:
    mode: str  # "queue": messages sent; "timer": a pass started in the background
    dispatched: int  # messages sent (queue), or queued jobs the background pass will look at (timer)


def trigger_now(context: AppContext, actor: str) -> Triggered:
    now = utc_now()
    if context.dispatcher is not None:
        sent = dispatch_queued(context, now)
        _audit(context, actor, f"sent {sent} queued job(s) to queue {context.dispatcher.queue_name}")
        return Triggered("queue", sent)
    waiting = len(context.jobs.stale_queued(now, limit=1000))
    threading.Thread(target=_background_pass, args=(context, actor), name="manual-pass", daemon=True).start()
    return Triggered("timer", waiting)


def _background_pass(context: AppContext, actor: str) -> None:
    try:
        run_manual_pass(trigger="api", actor=actor)  # audits itself when it ends
    except Exception:
        log.exception("the manual worker pass started from the page failed")


def _audit(context: AppContext, actor: str, detail: str) -> None:
    context.db.run(lambda tx: AuditRepository.add(tx, utc_now(), actor, audit.TRIGGER_WORKER, None, detail))
