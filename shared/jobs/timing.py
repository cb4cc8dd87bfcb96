"""Queue time and processing time, with one defined meaning for jobs that have not finished.

- queue time: from creation until the job started; for a job still waiting, until now; for a job
  canceled before it started, until it was canceled.
- processing time: from start until finish; for a running job, until now; None if it never started.
"""

from __future__ import annotations

from datetime import datetime

from shared.jobs.models import Job


def _seconds(start: datetime, end: datetime) -> float:
    return round(max(0.0, (end - start).total_seconds()), 3)


def queue_time_seconds(job: Job, now: datetime) -> float:
    end = job.started_at or job.finished_at or now
    return _seconds(job.created_at, end)


def processing_time_seconds(job: Job, now: datetime) -> float | None:
    if job.started_at is None:
        return None
    return _seconds(job.started_at, job.finished_at or now)
