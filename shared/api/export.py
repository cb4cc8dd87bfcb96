"""CSV downloads: GET /api/admin/jobs/export (every job matching the list's filter) and
GET /api/admin/audit/export (the audit log).

Azure Functions' Python worker buffers an HttpResponse body unless the HTTP streaming extension
(FastAPI types) is used, so the CSV is built chunk by chunk from keyset reads and sent as one
body, capped at EXPORT_CAP rows; `X-Export-Capped: true` says the cap cut it short.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import azure.functions as func

from shared.api.endpoint import admin_endpoint
from shared.api.filters import parse_filter
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z, utc_now
from shared.http.responses import BASE_HEADERS
from shared.jobs.export import csv_chunks
from shared.jobs.timing import processing_time_seconds, queue_time_seconds

EXPORT_CAP = 100_000
JOB_COLUMNS = (
    "job_id",
    "scope_type",
    "scope_key",
    "iso_week",
    "month_key",
    "status",
    "reason",
    "created_at",
    "started_at",
    "finished_at",
    "created_by",
    "attempts",
    "max_attempts",
    "queue_time_seconds",
    "processing_time_seconds",
)
AUDIT_COLUMNS = ("audit_id", "at", "actor", "action", "job_id", "detail")


def _jobs(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    where = parse_filter(req.params)
    now = utc_now()
    jobs = get_context().services.jobs.matching(where, EXPORT_CAP + 1)
    rows = (
        [
            job.job_id,
            job.scope_type,
            job.scope_key,
            job.iso_week,
            job.month_key,
            job.status,
            job.reason,
            iso_z(job.created_at),
            iso_z(job.started_at),
            iso_z(job.finished_at),
            job.created_by,
            job.attempts,
            job.max_attempts,
            queue_time_seconds(job, now),
            processing_time_seconds(job, now),
        ]
        for job in jobs
    )
    return _csv("jobs", JOB_COLUMNS, rows)


def _audit(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    entries = get_context().services.audit.iterate(EXPORT_CAP + 1)
    rows = ([entry.audit_id, iso_z(entry.at), entry.actor, entry.action, entry.job_id, entry.detail] for entry in entries)
    return _csv("audit-log", AUDIT_COLUMNS, rows)


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> func.HttpResponse:
    counted = _Counted(rows, EXPORT_CAP)
    body = b"".join(csv_chunks(header, counted))
    stamp = utc_now().strftime("%Y%m%d-%H%M%S")
    return func.HttpResponse(
        body=body,
        status_code=200,
        mimetype="text/csv",
        charset="utf-8",
        headers={
            **BASE_HEADERS,
            "Content-Disposition": f'attachment; filename="{name}-{stamp}Z.csv"',
            "X-Export-Rows": str(counted.sent),
            "X-Export-Capped": "true" if counted.capped else "false",
        },
    )


class _Counted:
    """Passes on at most `cap` rows and notes whether there was another one after them."""

    def __init__(self, rows: Iterable[Sequence[Any]], cap: int) -> None:
        self.rows, self.cap, self.sent, self.capped = rows, cap, 0, False

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            if self.sent == self.cap:
                self.capped = True
                return
            self.sent += 1
            yield row


handle_jobs = admin_endpoint(read=_jobs)
handle_audit = admin_endpoint(read=_audit)
