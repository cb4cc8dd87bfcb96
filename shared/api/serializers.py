"""How jobs, snapshots and worker passes look in JSON: times in ISO 8601 UTC with `Z`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.clock import iso_z
from shared.jobs.models import Job, Snapshot
from shared.jobs.timing import processing_time_seconds, queue_time_seconds


def job_json(job: Job, now: datetime, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "job_id": job.job_id,
        "scope_type": job.scope_type,
        "scope_key": job.scope_key,
        "iso_week": job.iso_week,
        "month_key": job.month_key,
        "period": job.period,
        "status": job.status,
        "reason": job.reason,
        "created_at": iso_z(job.created_at),
        "started_at": iso_z(job.started_at),
        "finished_at": iso_z(job.finished_at),
        "created_by": job.created_by,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        # Set on a job waiting for its next attempt after a transient failure: the list shows "retry 2 of 3 at 21:04".
        "run_after": iso_z(job.run_after),
        "queue_time_seconds": queue_time_seconds(job, now),
        "processing_time_seconds": processing_time_seconds(job, now),
    }
    if detail:
        data.update(
            error_detail=job.error_detail,
            worker_id=job.worker_id,
            lease_expires_at=iso_z(job.lease_expires_at),
            heartbeat_at=iso_z(job.heartbeat_at),
        )
    return data


def listed_job_json(job: Job, now: datetime, models: dict[str, str]) -> dict[str, Any]:
    """A job as the list shows it: with the model that wrote its report when it succeeded (else null)."""
    return job_json(job, now) | {"gen_model": models.get(job.job_id)}


def queue_json(oldest_queued_at: datetime | None, now: datetime) -> dict[str, Any]:
    """The queue's head: how long the longest-waiting job has waited (bull-board's measure)."""
    wait = None if oldest_queued_at is None else round(max(0.0, (now - oldest_queued_at).total_seconds()), 3)
    return {"oldest_queued_at": iso_z(oldest_queued_at), "oldest_wait_seconds": wait}


def snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "snapshot_id": snapshot.snapshot_id,
        "job_id": snapshot.job_id,
        "created_at": iso_z(snapshot.created_at),
        "rows_used": snapshot.rows_used,
        "gen_model": snapshot.gen_model,
        "gen_ms": snapshot.gen_ms,
        "json_size_bytes": snapshot.json_size_bytes,
        "prompt_tokens": snapshot.prompt_tokens,
        "completion_tokens": snapshot.completion_tokens,
        "total_tokens": snapshot.total_tokens,
        "prompt_version": snapshot.prompt_version,
        "analysis": snapshot.analysis(),
    }
