"""A job's state history (Hangfire's state list), for Details.

Retry requeues the same job (Hangfire's model) instead of creating a linked one, so the job id a
user bookmarked stays valid and its history stays in one place. What is stored:
- admin changes (cancel, retry), with who made them, written in the same transaction;
- an attempt that ends back in the queue (backoff, reaped): its start and its end;
- on retry, the attempt being replaced: its start (by which worker) and its end (status, reason,
  stack trace), read off the job row before the row is reset for the new attempt.
Each change stored as it happens is written from its transition in `models.TRANSITIONS` (`changed`).
The current attempt is read off the job row itself (created, started, finished), so claiming and
finishing a job need no extra writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.clock import as_utc
from shared.jobs.models import FINISHED, TRANSITIONS, Action, Job, Status


@dataclass(frozen=True)
class JobEvent:
    at: datetime
    from_status: str | None
    to_status: str
    actor: str | None
    detail: str | None
    stored: bool = True  # False: read off the job row (the current attempt), not from the events table

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> JobEvent:
        return cls(
            at=as_utc(row["at"]),  # type: ignore[arg-type]
            from_status=row.get("from_status"),
            to_status=row["to_status"],
            actor=row.get("actor"),
            detail=row.get("detail"),
        )


def changed(action: Action, from_status: str, at: datetime, actor: str | None, detail: str | None) -> JobEvent:
    """The event for a change the table allows; any other is a bug, never a history row."""
    transition = TRANSITIONS[action]
    if not transition.allows(from_status):
        raise ValueError(f"{action} cannot change a {from_status} job")
    return JobEvent(at, from_status, transition.target, actor, detail)


def current_attempt(job: Job, stored: list[JobEvent]) -> list[JobEvent]:
    """The events the job row shows for its latest attempt, less any already stored."""
    events: list[JobEvent] = []
    if job.started_at is not None:
        events.append(replace(changed(Action.CLAIM, Status.QUEUED, job.started_at, job.worker_id, None), stored=False))
    already_stored = bool(stored) and stored[-1].to_status == job.status
    if job.status in FINISHED and job.finished_at is not None and not already_stored:
        detail = "\n\n".join(part for part in (job.reason, job.error_detail) if part) or None
        source = Status.RUNNING if job.started_at is not None else Status.QUEUED
        events.append(JobEvent(job.finished_at, source, job.status, job.worker_id if source == Status.RUNNING else None, detail, stored=False))
    return events


def timeline(job: Job, stored: list[JobEvent]) -> list[JobEvent]:
    """Creation, every stored event, then the current attempt, oldest first."""
    created = JobEvent(job.created_at, None, TRANSITIONS[Action.ENQUEUE].target, job.created_by, None, stored=False)
    return sorted([created, *stored, *current_attempt(job, stored)], key=lambda event: event.at)
