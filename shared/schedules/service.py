"""What admins and the timer do with schedules: create, edit, pause, resume, delete, run.

Exactly once per (rule, period): a run first claims the pair in exec_report_schedule_runs, so a
second claim (another instance, the timer after a "Run now", a retry) inserts nothing and enqueues
nothing. The claimed run then fans out in chunks of FANOUT_CHUNK scopes, one transaction each: a
chunk's jobs and the run's cursor (the last scope queued) commit together, so a run cut off
part-way (a killed instance, a database fault) is resumed by the next timer pass from its cursor,
and two resumers take turns on the run row's lock instead of queueing a scope twice.
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
from shared.jobs.repository import JobsRepository
from shared.schedules.cron import latest_at_or_before, next_after
from shared.schedules.models import TIMEZONE, EnqueuedJob, RunProgress, RunResult, Schedule, period_label
from shared.schedules.repository import SchedulesRepository
from shared.schedules.scopes import KnownScopes, ScopesRepository

log = logging.getLogger(__name__)
TIMER, RUN_NOW = "timer", "run_now"
# Scopes per transaction. Each new job updates the status counters (on SQL Server a row of the
# indexed counts view, X-locked until commit), which every other status change also needs, so a
# fan-out holds them for one short chunk at a time rather than for thousands of inserts.
FANOUT_CHUNK = 50


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
    def __init__(self, db: Database, max_attempts: int, clock: Callable[[], datetime] = utc_now, fanout_chunk: int = FANOUT_CHUNK) -> None:
        self.db = db
        self.repo = SchedulesRepository(db)
        self.scopes = ScopesRepository(db)
        self.max_attempts = max_attempts
        self.clock = clock
        self.fanout_chunk = fanout_chunk

    def list_all(self) -> list[Schedule]:
        return self.repo.list_all()

    def known_scopes(self, scope_type: str | None, prefix: str, limit: int) -> KnownScopes:
        """Scopes seen in jobs and source rows, for the enqueue and schedule forms' suggestions."""
        return self.scopes.known(scope_type, prefix, limit)

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
        def write(tx: Transaction) -> None:
            self._locked(tx, schedule_id)  # the rule's row before its runs', in the order a run takes them
            self.repo.delete(tx, schedule_id)

        self.db.run(write)

    def run_now(self, schedule_id: str, actor: str) -> RunNow:
        """Enqueue the rule's current period (the one just ended) unless it already was."""
        now = self.clock()

        def claim(tx: Transaction) -> tuple[Schedule, str, bool]:
            schedule = self._locked(tx, schedule_id)
            period = period_label(schedule.period_kind, now)
            return schedule, period, self.repo.claim_period(tx, schedule_id, period, RUN_NOW, actor, now)

        schedule, period, claimed = self.db.run(claim)
        if claimed:
            # A timer pass may resume this run meanwhile and finish it; then its row says what was queued.
            result = self._fan_out(schedule_id, period, now) or self.db.run(lambda tx: self.repo.get_run(tx, schedule_id, period), write=False)
            if result is None:
                raise ScheduleNotFound(schedule_id)  # deleted while it ran
            return RunNow(replace(schedule, last_run_at=now, last_result=result), period, True, result)
        last = schedule.last_result
        earlier = last if last and last.period == period and not last.error else self.db.run(lambda tx: self.repo.get_run(tx, schedule_id, period), write=False)
        return RunNow(schedule, period, False, earlier)

    def run_due(self, now: datetime) -> list[RunResult]:
        """Finish fan-outs that were cut off, then run every rule whose time has come; one rule's
        fault never stops the others. Returns the runs that finished in this pass."""
        results: list[RunResult] = []
        for schedule_id, period in self.repo.unfinished_runs():
            self._guarded(schedule_id, now, results, functools.partial(self._fan_out, schedule_id, period, now))
        for schedule_id in self.repo.due_ids(now):
            self._guarded(schedule_id, now, results, functools.partial(self._run_if_due, schedule_id, now))
        return results

    def _guarded(self, schedule_id: str, now: datetime, results: list[RunResult], run: Callable[[], RunResult | None]) -> None:
        try:
            result = run()
        except Exception as exc:
            log.exception("schedule %s could not run", schedule_id)
            self._record_failure(schedule_id, now, exc)
            return
        if result is not None:
            results.append(result)

    def _run_if_due(self, schedule_id: str, now: datetime) -> RunResult | None:
        def claim(tx: Transaction) -> str | None:
            schedule = self.repo.lock(tx, schedule_id)
            # Another instance may have run it, or an admin paused or deleted it, since the due list was read.
            if schedule is None or schedule.paused or schedule.next_run_at is None or schedule.next_run_at > now:
                return None
            # After downtime only the latest missed occurrence counts: one run, for the period it covers.
            period = period_label(schedule.period_kind, latest_at_or_before(schedule.cron, now))
            claimed = self.repo.claim_period(tx, schedule_id, period, TIMER, "scheduler", now)
            self.repo.set_next_run(tx, schedule_id, next_after(schedule.cron, now))
            return period if claimed else None

        period = self.db.run(claim)
        return self._fan_out(schedule_id, period, now) if period is not None else None

    def _fan_out(self, schedule_id: str, period: str, now: datetime) -> RunResult | None:
        """Queue the claimed run's scopes chunk by chunk. Its result if this call finished it; None if
        another caller did, or the rule was deleted meanwhile. Each chunk is idempotent: after an
        ambiguous commit, running it again reads the cursor the first try left and carries on."""
        while True:
            progress = self.db.run(lambda tx: self._enqueue_chunk(tx, schedule_id, period, now), idempotent=True)
            if progress is None:
                return None
            if progress.finished:
                return progress.result()

    # --- inside one transaction -----------------------------------------------------------------

    def _locked(self, tx: Transaction, schedule_id: str) -> Schedule:
        schedule = self.repo.lock(tx, schedule_id)
        if schedule is None:
            raise ScheduleNotFound(schedule_id)
        return schedule

    def _enqueue_chunk(self, tx: Transaction, schedule_id: str, period: str, now: datetime) -> RunProgress | None:
        # The rule's row first, then the run's, in the same order as a claim, so two never deadlock.
        schedule = self.repo.lock(tx, schedule_id)
        progress = self.repo.lock_run(tx, schedule_id, period)
        if schedule is None or progress is None or progress.finished:
            return None
        iso_week, month_key = (period, None) if "-W" in period else (None, period)
        if schedule.scope_key is not None:
            scope_keys = [] if progress.after else [schedule.scope_key]
        else:
            scope_keys = self.repo.scopes_with_rows(tx, schedule.scope_type, job_period(iso_week, month_key), progress.after, self.fanout_chunk)
        created_by = f"schedule:{schedule.name}" if progress.trigger == TIMER else f"{progress.run_by} (run now: {schedule.name})"
        enqueued = [
            EnqueuedJob(job.job_id, key, created)
            for key in scope_keys
            for job, created in [JobsRepository.enqueue_job(tx, schedule.scope_type, key, iso_week, month_key, created_by, self.max_attempts, now)]
        ]
        finished = schedule.scope_key is not None or len(scope_keys) < self.fanout_chunk
        progress = progress.advanced(enqueued, scope_keys[-1] if scope_keys else progress.after, finished)
        self.repo.advance_run(tx, progress, now)
        if finished:
            self.repo.record_result(tx, schedule_id, progress.result(), progress.run_at)
        return progress

    def _record_failure(self, schedule_id: str, now: datetime, exc: Exception) -> None:
        failure = RunResult(
            period="", trigger=TIMER, run_by="scheduler", run_at=iso_z(now) or "", scopes=0, created=0, existing=0, error=f"{type(exc).__name__}: {exc}"[:500]
        )
        try:
            self.repo.record_error(schedule_id, failure, now)
        except Exception:
            log.exception("could not record the failure of schedule %s", schedule_id)
