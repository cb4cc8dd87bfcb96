"""How a worker pass behaves, derived from settings; tests shorten the intervals."""

from __future__ import annotations

from dataclasses import dataclass

from shared.config import Settings
from shared.jobs.repository import NO_GLOBAL_LIMIT


@dataclass(frozen=True)
class WorkerOptions:
    concurrency: int
    lease_seconds: float
    heartbeat_seconds: float  # renew the lease this often during a job
    global_concurrency: int = NO_GLOBAL_LIMIT  # jobs running at once across every process (WORKER_GLOBAL_CONCURRENCY)
    cancel_check_seconds: float = 1.0  # look for a cancel this often during a model call
    retry_base_seconds: float = 10.0  # first backoff; doubles per attempt, with jitter
    retry_max_seconds: float = 600.0
    finish_margin_seconds: float = 10.0  # time kept after a model call to store its result
    # A 429 is the endpoint asking for a pause, not the job failing: wait it out in place (lease kept,
    # attempt unspent) this many times per attempt, when it asks for no longer than this.
    rate_limit_waits: int = 3
    rate_limit_wait_max_seconds: float = 30.0

    @property
    def calls_in_flight(self) -> int:
        """The most model calls that may be under way at once: every process's, when a global limit is set."""
        return self.global_concurrency if self.global_concurrency != NO_GLOBAL_LIMIT else self.concurrency

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerOptions:
        lease = float(settings.worker_lease_seconds)
        return cls(
            concurrency=settings.worker_concurrency,
            lease_seconds=lease,
            heartbeat_seconds=lease / 3,
            global_concurrency=settings.worker_global_concurrency,
        )
