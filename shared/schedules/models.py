"""What a schedule (a recurring report rule) is, and what one run of it enqueued."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from shared.clock import as_utc, iso_z
from shared.jobs.periods import last_month, last_week

PERIOD_KINDS = ("week", "month")
TIMEZONE = "UTC"
RESULT_JOBS_SHOWN = 20  # an all-scopes rule may enqueue thousands; the rule keeps the first few ids


@dataclass(frozen=True)
class Schedule:
    schedule_id: str
    name: str
    scope_type: str
    scope_key: str | None  # None: every scope of scope_type with source rows in the period
    period_kind: str
    cron: str
    timezone: str
    paused: bool
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_result: RunResult | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Schedule:
        return cls(
            schedule_id=str(row["schedule_id"]),
            name=row["name"],
            scope_type=row["scope_type"],
            scope_key=row.get("scope_key"),
            period_kind=row["period_kind"],
            cron=row["cron"],
            timezone=row.get("timezone") or TIMEZONE,
            paused=bool(row["paused"]),
            created_by=row.get("created_by"),
            created_at=as_utc(row["created_at"]),  # type: ignore[arg-type]
            updated_at=as_utc(row["updated_at"]),  # type: ignore[arg-type]
            next_run_at=as_utc(row.get("next_run_at")),
            last_run_at=as_utc(row.get("last_run_at")),
            last_result=RunResult.from_json(row.get("last_result")),
        )


@dataclass(frozen=True)
class EnqueuedJob:
    job_id: str
    scope_key: str
    created: bool  # False: an already queued or running job covered it


@dataclass(frozen=True)
class RunResult:
    period: str
    trigger: str  # "timer" or "run_now"
    run_by: str
    run_at: str  # ISO 8601 Z
    scopes: int
    created: int
    existing: int
    jobs: list[EnqueuedJob] = field(default_factory=list)
    error: str | None = None
    in_progress: bool = False  # the fan-out is still committing its chunks (or was cut off and will resume)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> RunResult | None:
        if not text:
            return None
        data = json.loads(text)
        return cls(**{**data, "jobs": [EnqueuedJob(**job) for job in data.get("jobs", [])]})


@dataclass(frozen=True)
class RunProgress:
    """Where one run's fan-out stands, as its claim row records it after each committed chunk."""

    schedule_id: str
    period: str
    trigger: str
    run_by: str
    run_at: datetime
    created: int
    existing: int
    after: str  # the last scope key queued, in the database's order; "" before the first
    jobs: list[EnqueuedJob]
    finished: bool

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RunProgress:
        return cls(
            schedule_id=str(row["schedule_id"]),
            period=row["period_label"],
            trigger=row["run_trigger"],
            run_by=row.get("run_by") or "",
            run_at=as_utc(row["run_at"]),  # type: ignore[arg-type]
            created=int(row["jobs_created"]),
            existing=int(row["jobs_existing"]),
            after=row.get("scopes_after") or "",
            jobs=[EnqueuedJob(**job) for job in json.loads(row.get("jobs_shown") or "[]")],
            finished=row.get("finished_at") is not None,
        )

    def advanced(self, enqueued: list[EnqueuedJob], after: str, finished: bool) -> RunProgress:
        fresh = sum(job.created for job in enqueued)
        return replace(
            self,
            created=self.created + fresh,
            existing=self.existing + len(enqueued) - fresh,
            after=after,
            jobs=(self.jobs + enqueued)[:RESULT_JOBS_SHOWN],
            finished=finished,
        )

    def jobs_json(self) -> str:
        return json.dumps([asdict(job) for job in self.jobs], separators=(",", ":"))

    def result(self) -> RunResult:
        return RunResult(
            period=self.period,
            trigger=self.trigger,
            run_by=self.run_by,
            run_at=iso_z(self.run_at) or "",
            scopes=self.created + self.existing,
            created=self.created,
            existing=self.existing,
            jobs=self.jobs,
            in_progress=not self.finished,
        )


def period_label(kind: str, moment: datetime | date) -> str:
    """The last whole period before `moment`: the week or month just ended."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return last_week(day) if kind == "week" else last_month(day)
