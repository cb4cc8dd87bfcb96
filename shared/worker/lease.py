"""A claimed job's lease: kept alive while the job runs, and the place a job learns it must stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from shared.jobs.models import Job, Status
from shared.jobs.repository import JobsRepository
from shared.worker import lifecycle
from shared.worker.options import WorkerOptions

T = TypeVar("T")
POLL_SECONDS = 0.1  # how quickly a waiting job notices a stop request or its deadline

NOT_OURS, STOPPING, OUT_OF_TIME = "no longer ours", "worker stopping", "pass out of time"


class Abandoned(Exception):
    """The job must stop here: canceled or reaped (NOT_OURS), or this pass must end (STOPPING, OUT_OF_TIME)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Lease:
    def __init__(
        self,
        jobs: JobsRepository,
        claimed: Job,
        options: WorkerOptions,
        deadline: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.jobs, self.claimed, self.job_id = jobs, claimed, claimed.job_id
        self.options, self.deadline, self.clock = options, deadline, clock
        now = time.monotonic()
        self._renewed_at = self._checked_at = now  # the claim itself set the lease

    def ensure(self) -> None:
        """Between steps: raise Abandoned unless this job should go on."""
        self._ensure(always_check=True)

    def ensure_time_for(self, seconds: float) -> None:
        """Refuse to start work that could not finish before the pass must end."""
        if time.monotonic() + seconds + self.options.finish_margin_seconds > self.deadline:
            raise Abandoned(OUT_OF_TIME)

    def _ensure(self, always_check: bool) -> None:
        if lifecycle.stop_requested():
            raise Abandoned(STOPPING)
        now = time.monotonic()
        if now >= self.deadline:
            raise Abandoned(OUT_OF_TIME)
        if now - self._renewed_at >= self.options.heartbeat_seconds:
            if not self.jobs.renew_lease(self.claimed, int(self.options.lease_seconds), self.clock()):
                raise Abandoned(NOT_OURS)
            self._renewed_at = self._checked_at = now
        elif always_check or now - self._checked_at >= self.options.cancel_check_seconds:
            # A read, not a write: cheaper than renewing, and enough to see a cancel (or a newer attempt).
            job = self.jobs.get(self.job_id)
            if job is None or job.status != Status.RUNNING or job.claim_token != self.claimed.claim_token:
                raise Abandoned(NOT_OURS)
            self._checked_at = now

    def run(self, call: Callable[[], T]) -> T:
        """Run a blocking call (a model request) on its own thread while this thread keeps the lease.

        If the job is canceled or reaped, or the pass must end, the call is abandoned: this thread
        stops waiting and the daemon thread's result, when it comes, is dropped. The request's own
        timeout bounds how long that thread lingers.
        """
        outcome: dict[str, object] = {}
        done = threading.Event()

        def target() -> None:
            try:
                outcome["value"] = call()
            except BaseException as exc:  # handed to the waiting thread, which decides
                outcome["error"] = exc
            finally:
                done.set()

        threading.Thread(target=target, name=f"model-call-{self.job_id[:8]}", daemon=True).start()
        while not done.wait(POLL_SECONDS):
            self._ensure(always_check=False)
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["value"]  # type: ignore[return-value]
