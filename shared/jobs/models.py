"""What a job and a snapshot are, the states a job moves through and every change between them.

As in rq and procrastinate, the states are one enum and the allowed changes one table. The worker,
the admin actions, the SQL (tests/db/test_transitions.py reads both dialects' statements against
TRANSITIONS) and the history all follow it. Status is a str enum, so the strings stored in the
database and sent in JSON are the same as ever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.clock import as_utc


class Status(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


STATUSES = tuple(Status)  # in the order the page lists them
ACTIVE = (Status.QUEUED, Status.RUNNING)  # at most one active job per scope and period
FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELED)


class Action(StrEnum):
    """What changes a job's status: the worker's steps, the lease reaper's and the admins'."""

    ENQUEUE = "enqueue"  # a new job (an admin, a schedule, or the queuing application itself)
    CLAIM = "claim"  # a worker takes it: a new attempt, with its own claim token and lease
    COMPLETE = "complete"  # the report is stored
    FAIL = "fail"  # a permanent fault, or a transient one with no attempts left
    BACKOFF = "backoff"  # a transient fault with attempts left: queued again after a delay
    RELEASE = "release"  # the worker stops (or the database went away): given back, attempt unspent
    REAP_REQUEUE = "reap_requeue"  # its worker stopped renewing the lease; attempts left
    REAP_FAIL = "reap_fail"  # the same with no attempts left: "worker lost"
    CANCEL = "cancel"  # an admin, one job or in bulk
    RETRY = "retry"  # an admin, one job or in bulk: a new attempt budget for the same job


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: tuple[Status, ...]  # in STATUSES order; empty: the job did not exist before
    target: Status

    def allows(self, status: str) -> bool:
        return status in self.sources


_RUNNING = (Status.RUNNING,)
TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.ENQUEUE, (), Status.QUEUED),
        Transition(Action.CLAIM, (Status.QUEUED,), Status.RUNNING),
        Transition(Action.COMPLETE, _RUNNING, Status.SUCCEEDED),
        Transition(Action.FAIL, _RUNNING, Status.FAILED),
        Transition(Action.BACKOFF, _RUNNING, Status.QUEUED),
        Transition(Action.RELEASE, _RUNNING, Status.QUEUED),
        Transition(Action.REAP_REQUEUE, _RUNNING, Status.QUEUED),
        Transition(Action.REAP_FAIL, _RUNNING, Status.FAILED),
        Transition(Action.CANCEL, ACTIVE, Status.CANCELED),
        Transition(Action.RETRY, (Status.FAILED, Status.CANCELED), Status.QUEUED),
    )
}


@dataclass(frozen=True)
class Job:
    job_id: str
    scope_type: str
    scope_key: str
    iso_week: str | None
    month_key: str | None
    status: Status
    reason: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    created_by: str | None
    attempts: int = 0
    max_attempts: int = 3
    worker_id: str | None = None
    lease_expires_at: datetime | None = None
    heartbeat_at: datetime | None = None
    run_after: datetime | None = None
    error_detail: str | None = None
    claim_token: str | None = None  # the running attempt's fence (see migration 0060)

    @property
    def period(self) -> str:
        return self.iso_week or self.month_key or ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        return cls(
            job_id=str(row["job_id"]),
            scope_type=row["scope_type"],
            scope_key=row["scope_key"],
            iso_week=row.get("iso_week"),
            month_key=row.get("month_key"),
            status=Status(row["status"]),
            reason=row.get("reason"),
            created_at=as_utc(row["created_at"]),  # type: ignore[arg-type]
            started_at=as_utc(row.get("started_at")),
            finished_at=as_utc(row.get("finished_at")),
            created_by=row.get("created_by"),
            attempts=row.get("attempts") or 0,
            max_attempts=row.get("max_attempts") or 3,
            worker_id=row.get("worker_id"),
            lease_expires_at=as_utc(row.get("lease_expires_at")),
            heartbeat_at=as_utc(row.get("heartbeat_at")),
            run_after=as_utc(row.get("run_after")),
            error_detail=row.get("error_detail"),
            claim_token=row.get("claim_token"),
        )


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: int | None
    job_id: str | None
    created_at: datetime
    analysis_json: str
    rows_used: int | None
    gen_model: str | None
    gen_ms: int | None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    prompt_version: str | None = None

    @property
    def json_size_bytes(self) -> int:
        return len(self.analysis_json.encode("utf-8"))

    @property
    def total_tokens(self) -> int | None:
        if self.prompt_tokens is None and self.completion_tokens is None:
            return None
        return (self.prompt_tokens or 0) + (self.completion_tokens or 0)

    def analysis(self) -> Any:
        try:
            return json.loads(self.analysis_json)
        except ValueError:
            return None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Snapshot:
        return cls(
            snapshot_id=row.get("snapshot_id"),
            job_id=row.get("job_id"),
            created_at=as_utc(row["created_at"]),  # type: ignore[arg-type]
            analysis_json=row["analysis_json"],
            rows_used=row.get("rows_used"),
            gen_model=row.get("gen_model"),
            gen_ms=row.get("gen_ms"),
            prompt_tokens=row.get("prompt_tokens"),
            completion_tokens=row.get("completion_tokens"),
            prompt_version=row.get("prompt_version"),
        )
