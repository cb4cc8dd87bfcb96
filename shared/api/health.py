"""GET /api/admin/health: worker health (last and next run, failed runs, running jobs' leases)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import azure.functions as func

from shared.api.endpoint import admin_endpoint
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z
from shared.health.service import Health, RunningJob
from shared.http.responses import json_response
from shared.queue.stats import PoisonMessage, QueueHealth
from shared.worker.runs import COUNTS, WorkerRun


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    return json_response({"ok": True, **health_json(get_context().services.health.health())})


def _seconds(start: datetime | None, end: datetime) -> float | None:
    return None if start is None else round(max(0.0, (end - start).total_seconds()), 3)


def run_state(run: WorkerRun, unfinished_before: datetime) -> str:
    if run.finished_at is None:
        return "unfinished" if run.started_at < unfinished_before else "running"
    return "failed" if run.error else "ok"


def run_json(run: WorkerRun, health: Health) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "trigger": run.trigger,
        "worker_id": run.worker_id,
        "started_at": iso_z(run.started_at),
        "finished_at": iso_z(run.finished_at),
        "duration_ms": None if run.finished_at is None else int(max(0.0, (run.finished_at - run.started_at).total_seconds()) * 1000),
        **{name: getattr(run, name) for name in COUNTS},
        "error": run.error,
        "state": run_state(run, health.unfinished_before),
    }


def running_job_json(job: RunningJob, now: datetime) -> dict[str, Any]:
    row = job.row
    stuck = job.stuck(now)
    return {
        "job_id": row["job_id"],
        "scope_type": row["scope_type"],
        "scope_key": row["scope_key"],
        "period": row.get("iso_week") or row.get("month_key") or "",
        "worker_id": row.get("worker_id"),
        "started_at": iso_z(job.started_at),
        "heartbeat_at": iso_z(row.get("heartbeat_at")),
        "lease_expires_at": iso_z(job.lease_expires_at),
        "running_seconds": _seconds(job.started_at, now),
        "lease_age_seconds": _seconds(job.renewed_at, now),
        "overdue_seconds": _seconds(job.lease_expires_at, now) if stuck else None,
        "stuck": stuck,
        "attempts": int(row.get("attempts") or 0),
        "max_attempts": int(row.get("max_attempts") or 0),
    }


def health_json(health: Health) -> dict[str, Any]:
    schedule = health.schedule
    return {
        "now": iso_z(health.now),
        "schedule": {
            "expression": schedule.expression,
            "next_run_at": iso_z(schedule.next_run_at),
            "last_due_at": iso_z(schedule.last_due_at),
            "error": schedule.error,
        },
        "behind_schedule": health.behind_schedule,
        "last_run": run_json(health.last_run, health) if health.last_run else None,
        "recent_runs": [run_json(run, health) for run in health.recent_runs],
        "problem_runs": [run_json(run, health) for run in health.problem_runs],
        "running": {
            "total": health.running_total,
            "limit": health.running_limit,
            "stuck": sum(1 for job in health.running if job.stuck(health.now)),
            "jobs": [running_job_json(job, health.now) for job in health.running],
        },
        "delivery_failures": [failure.to_dict() for failure in health.delivery_failures],
        "queue": queue_json(health.queue, health.now) if health.queue else None,
    }


def queue_json(queue: QueueHealth, now: datetime) -> dict[str, Any]:
    return {
        "name": queue.name,
        "length": queue.length,
        "oldest_at": iso_z(queue.oldest_at),
        "oldest_age_seconds": _seconds(queue.oldest_at, now),
        "poison_length": queue.poison_length,
        "poison": [_poison_json(message) for message in queue.poison],
        "error": queue.error,
    }


def _poison_json(message: PoisonMessage) -> dict[str, Any]:
    return {"message_id": message.message_id, "job_id": message.job_id, "body": message.body, "inserted_at": iso_z(message.inserted_at)}


handle = admin_endpoint(read=_read)
