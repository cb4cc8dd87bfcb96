"""What admins and the timer do with schedules: create, edit, pause, resume, delete, run.

Exactly once per (rule, period): a run claims the pair in exec_report_schedule_runs, enqueues
and records the result in the same transaction, so a second claim (another instance, the timer
after a "Run now", a retry) inserts nothing and enqueues nothing, and a failed run leaves no claim.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.clock import iso_z, utc_now
from shared.db import Database, Transaction
from shared.jobs.periods import job_period
from shared.jobs.repository import enqueue_job
from shared.schedules.cron import latest_at_or_before, next_after
from shared.schedules.models import RESULT_JOBS_SHOWN, TIMEZONE, EnqueuedJob, RunResult, Schedule, period_label
from shared.schedules.repository import SchedulesRepository

log = logging.getLogger(__name__)
TIMER, RUN_NOW = "timer", "run_now"


class ScheduleNotFound(LookupError):
    pass


class NameTaken(ValueError):
    pass


@dataclass(frozen=True)
class RuleSpec:
    """The part of a rule an admin chooses; validated by the caller."""

    name: str
    scope_type: str
    scope_key: str | None
    period_kind: str
    cron: str
    paused: bool = False


@dataclass(frozen=True)
class RunNow:
    schedule: Schedule
    period: str
    claimed: bool  # False: this period was already enqueued, and `result` says when and what
    result: RunResult | None


class SchedulesService:
    def __init__(self, db: Database, max_attempts: int, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.repo = SchedulesRepository(db)
        self.max_attempts = max_attempts
        self.clock = clock

    def list_all(self) -> list[Schedule]:
        return self.repo.list_all()

    def create(self, spec: RuleSpec, actor: str) -> Schedule:
        now = self.clock()
        schedule = Schedule(
            schedule_id=uuid.uuid4().hex,
            name=spec.name,
            scope_type=spec.scope_type,
            scope_key=spec.scope_key,
            period_kind=spec.period_kind,
            cron=spec.cron,
            timezone=TIMEZONE,
            paused=spec.paused,
            created_by=actor,
            created_at=now,
            updated_at=now,
            next_run_at=None if spec.paused else next_after(spec.cron, now),
            last_run_at=None,
            last_result=None,
        )

        def write(tx: Transaction) -> Schedule:
            if self.repo.name_owner(tx, spec.name) is not None:
                raise NameTaken(spec.name)
            self.repo.insert(tx, schedule)
            return schedule

        return self.db.run(write)

    def update(self, schedule_id: str, changes: dict[str, Any]) -> Schedule:
        """Change some of a rule's fields; its next run is recomputed when its timing changes."""
        now = self.clock()

        def write(tx: Transaction) -> Schedule:
            current = self._locked(tx, schedule_id)
            if "name" in changes and self.repo.name_owner(tx, changes["name"]) not in (None, schedule_id):
                raise NameTaken(changes["name"])
            updated = replace(current, **changes, updated_at=now)
            if updated.paused:
                updated = replace(updated, next_run_at=None)
            elif current.paused or updated.cron != current.cron:
                updated = replace(updated, next_run_at=next_after(updated.cron, now))
            self.repo.update(tx, updated)
            return updated

        return self.db.run(write)

    def set_paused(self, schedule_id: str, paused: bool) -> Schedule:
        # A resumed rule starts from its next occurrence: periods that fell due while paused are skipped.
        return self.update(schedule_id, {"paused": paused})

    def delete(self, schedule_id: str) -> None:
        if not self.db.run(lambda tx: self.repo.delete(tx, schedule_id)):
            raise ScheduleNotFound(schedule_id)

    def run_now(self, schedule_id: str, actor: str) -> RunNow:
        """Enqueue the rule's current period (the one just ended) unless it already was."""
        now = self.clock()

        def write(tx: Transaction) -> RunNow:
            schedule = self._locked(tx, schedule_id)
            period = period_label(schedule.period_kind, now)
            result = self._run_period(tx, schedule, period, RUN_NOW, actor, now)
            if result is not None:
                schedule = replace(schedule, last_run_at=now, last_result=result)
                return RunNow(schedule, period, True, result)
            last = schedule.last_result
            earlier = last if last and last.period == period and not last.error else self.repo.get_run(tx, schedule_id, period)
            return RunNow(schedule, period, False, earlier)

        return self.db.run(write)

    def run_due(self, now: datetime) -> list[RunResult]:
        """Run every rule whose time has come; one rule's fault never stops the others."""
        results: list[RunResult] = []
        for schedule_id in self.repo.due_ids(now):
            try:
                result = self.db.run(functools.partial(self._run_if_due, schedule_id=schedule_id, now=now))
            except Exception as exc:
                log.exception("schedule %s could not run", schedule_id)
                self._record_failure(schedule_id, now, exc)
                continue
            if result is not None:
                results.append(result)
        return results

    # --- inside one transaction -----------------------------------------------------------------

    def _locked(self, tx: Transaction, schedule_id: str) -> Schedule:
        schedule = self.repo.lock(tx, schedule_id)
        if schedule is None:
            raise ScheduleNotFound(schedule_id)
        return schedule

    def _run_if_due(self, tx: Transaction, schedule_id: str, now: datetime) -> RunResult | None:
        schedule = self.repo.lock(tx, schedule_id)
        # Another instance may have run it, or an admin paused or deleted it, since the due list was read.
        if schedule is None or schedule.paused or schedule.next_run_at is None or schedule.next_run_at > now:
            return None
        # After downtime only the latest missed occurrence counts: one run, for the period it covers.
        occurrence = latest_at_or_before(schedule.cron, now)
        result = self._run_period(tx, schedule, period_label(schedule.period_kind, occurrence), TIMER, "scheduler", now)
        self.repo.set_next_run(tx, schedule.schedule_id, next_after(schedule.cron, now))
        return result

    def _run_period(self, tx: Transaction, schedule: Schedule, period: str, trigger: str, actor: str, now: datetime) -> RunResult | None:
        if not self.repo.claim_period(tx, schedule.schedule_id, period, trigger, actor, now):
            return None
        iso_week, month_key = (period, None) if schedule.period_kind == "week" else (None, period)
        if schedule.scope_key is not None:
            scope_keys = [schedule.scope_key]
        else:
            scope_keys = self.repo.scopes_with_rows(tx, schedule.scope_type, job_period(iso_week, month_key))
        created_by = f"schedule:{schedule.name}" if trigger == TIMER else f"{actor} (run now: {schedule.name})"
        enqueued = [
            EnqueuedJob(job.job_id, key, created)
            for key in scope_keys
            for job, created in [enqueue_job(tx, schedule.scope_type, key, iso_week, month_key, created_by, self.max_attempts, now)]
        ]
        fresh = sum(job.created for job in enqueued)
        result = RunResult(
            period=period,
            trigger=trigger,
            run_by=actor,
            run_at=iso_z(now) or "",
            scopes=len(scope_keys),
            created=fresh,
            existing=len(enqueued) - fresh,
            jobs=enqueued[:RESULT_JOBS_SHOWN],
        )
        self.repo.finish_run(tx, schedule.schedule_id, result, now)
        return result

    def _record_failure(self, schedule_id: str, now: datetime, exc: Exception) -> None:
        failure = RunResult(
            period="", trigger=TIMER, run_by="scheduler", run_at=iso_z(now) or "", scopes=0, created=0, existing=0, error=f"{type(exc).__name__}: {exc}"[:500]
        )
        try:
            self.repo.record_error(schedule_id, failure, now)
        except Exception:
            log.exception("could not record the failure of schedule %s", schedule_id)
