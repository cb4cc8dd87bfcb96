"""Recurring report rules: stored in the database, evaluated by the worker's timer.

`run_due(context, now)` is the one call the timer makes; it never raises, so a fault here never
stops the worker pass that follows.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from shared.schedules.models import RunResult

if TYPE_CHECKING:
    from shared.app_context import AppContext

log = logging.getLogger(__name__)


def run_due(context: AppContext, now: datetime) -> list[RunResult]:
    try:
        results = context.services.schedules.run_due(now)
    except Exception:
        log.exception("report schedules could not be evaluated")
        return []
    for result in results:
        log.info("schedule run for %s (%s): %d new job(s), %d already queued", result.period, result.trigger, result.created, result.existing)
    return results
