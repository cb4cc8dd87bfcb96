"""What an alert is about (a failed job, or a failure rate over a window), stored as the outbox payload."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from shared.clock import iso_z

WEBHOOK, EMAIL = "webhook", "email"
JOB_FAILED, FAILURE_RATE = "job_failed", "failure_rate"


@dataclass(frozen=True)
class FailedJob:
    job_id: str
    scope_type: str
    scope_key: str
    period: str
    reason: str
    attempts: int
    max_attempts: int
    finished_at: str  # ISO 8601 with Z
    created_by: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> FailedJob:
        return cls(
            job_id=str(row["job_id"]),
            scope_type=str(row["scope_type"]),
            scope_key=str(row["scope_key"]),
            period=str(row.get("iso_week") or row.get("month_key") or ""),
            reason=str(row.get("reason") or "(no reason recorded)"),
            attempts=int(row.get("attempts") or 0),
            max_attempts=int(row.get("max_attempts") or 0),
            finished_at=iso_z(row["finished_at"]) or "",
            created_by=row.get("created_by"),
        )

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> FailedJob:
        return cls(**payload)

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def scope(self) -> str:
        return f"{self.scope_type} {self.scope_key}"


@dataclass(frozen=True)
class FailureRate:
    window_minutes: int
    finished: int
    failed: int
    threshold: float
    measured_at: str  # ISO 8601 with Z

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> FailureRate:
        return cls(**payload)

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def rate(self) -> float:
        return self.failed / self.finished if self.finished else 0.0

    def sentence(self) -> str:
        return (
            f"{self.rate:.0%} of the {self.finished} jobs finished in the last {self.window_minutes} minutes failed "
            f"({self.failed} failed; alert threshold {self.threshold:.0%})."
        )


def job_link(base_url: str, job_id: str) -> str | None:
    """The job on the admin page, or None when ADMIN_BASE_URL is not set."""
    return f"{base_url}/admin/jobs?{urlencode({'job': job_id})}" if base_url else None


def jobs_link(base_url: str) -> str | None:
    return f"{base_url}/admin/jobs?status=failed" if base_url else None
