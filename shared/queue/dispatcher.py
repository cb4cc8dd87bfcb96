"""Sends a message naming each runnable job, after the transaction that made it runnable committed.

Sending happens on a few background threads, so no caller (an API request, the worker recording a
retry) waits for storage. A send that fails is logged and dropped: the job is still queued in the
database, and the timer's sweep sends it again once it has waited a sweep period.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from azure.core.exceptions import ResourceExistsError
from azure.storage.queue import QueueClient, QueueServiceClient

from shared.jobs.wakeups import Runnable
from shared.queue import messages
from shared.queue.storage import poison_name, queue_client, service_client
from shared.worker.redact import one_line

log = logging.getLogger(__name__)
SENDERS = 8  # threads; one send to a storage queue is a few ms of waiting on the network
MAX_DELAY_SECONDS = 7 * 24 * 3600 - 1  # a message's visibility timeout must be under its 7-day time-to-live


class JobDispatcher:
    def __init__(self, queue_name: str, service: QueueServiceClient | None = None) -> None:
        self.queue_name = queue_name
        self._service = service
        self._queue: QueueClient | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="job-queue-send")
        self._pending: set[Future[bool]] = set()

    @property
    def service(self) -> QueueServiceClient:
        with self._lock:
            if self._service is None:
                self._service = service_client()
            return self._service

    def queue(self) -> QueueClient:
        """The job queue, created (with its poison queue) on first use if the account lacks it."""
        with self._lock:
            queue = self._queue
        if queue is not None:
            return queue
        queue = queue_client(self.service, self.queue_name)
        for client in (queue, queue_client(self.service, poison_name(self.queue_name))):
            with contextlib.suppress(ResourceExistsError):
                client.create_queue()
        with self._lock:
            self._queue = queue
        return queue

    def runnable(self, jobs: list[Runnable]) -> None:
        """The database's post-commit subscriber: send in the background and return at once."""
        self.send(jobs)

    def send(self, jobs: Iterable[Runnable]) -> list[Future[bool]]:
        futures = [self._pool.submit(self._send_one, job) for job in jobs]
        with self._lock:
            self._pending.update(futures)
        for future in futures:
            future.add_done_callback(self._forget)
        return futures

    def send_and_count(self, jobs: Iterable[Runnable], timeout: float = 30.0) -> int:
        """Send and wait: how many messages the queue accepted."""
        futures = self.send(jobs)
        done, _ = wait(futures, timeout)
        return sum(1 for future in done if future.result())

    def flush(self, timeout: float = 10.0) -> None:
        """Wait for the sends in flight (tests, and shutdown)."""
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)

    def _forget(self, future: Future[bool]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _send_one(self, job: Runnable) -> bool:
        try:
            delay = min(math.ceil(job.delay_seconds), MAX_DELAY_SECONDS)  # never early: an early message finds the job not yet due
            self.queue().send_message(messages.encode(job.job_id), visibility_timeout=delay or None)
            return True
        except Exception as exc:  # the sweep sends it again; the job itself is safe in the database
            log.warning("could not put job %s on queue %s (the timer's sweep will): %s", job.job_id, self.queue_name, one_line(f"{type(exc).__name__}: {exc}"))
            return False
