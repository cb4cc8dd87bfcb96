"""A job became runnable: the note a transaction leaves for whoever starts jobs (the queue dispatcher).

Every write that makes a job runnable (enqueue, retry, a transient fault's backoff, a reaped or
released attempt) leaves one with `runnable(tx, ...)`. It reaches the subscribers only after that
transaction commits (shared/db Transaction.notify), so a message never names a job the database
does not have yet; a message lost after the commit is caught by the timer's sweep.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.db import Transaction

TOPIC = "job_runnable"


@dataclass(frozen=True)
class Runnable:
    job_id: str
    delay_seconds: float = 0.0  # not before this: a retry's backoff


def runnable(tx: Transaction, job_id: str, delay_seconds: float = 0.0) -> None:
    tx.notify(TOPIC, Runnable(job_id, max(delay_seconds, 0.0)))
