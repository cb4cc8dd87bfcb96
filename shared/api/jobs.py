"""/api/admin/jobs: GET lists a page (or a search) or one job's detail; POST performs an action from
the table in shared/api/job_actions.py."""

from __future__ import annotations

from typing import Any

import azure.functions as func

from shared.api import filters, job_actions, rules
from shared.api.endpoint import admin_endpoint
from shared.api.query import Param, Query
from shared.api.serializers import job_json, listed_job_json, queue_json, snapshot_json
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z, utc_now
from shared.config import get_settings
from shared.http.etag import matches, not_modified, strong_etag, without_keys
from shared.http.responses import BASE_HEADERS, ApiError, json_response
from shared.jobs.history import JobEvent
from shared.jobs.search import JobFilter
from shared.jobs.service import JobNotFound, JobsService
from shared.metrics.prices import snapshot_cost

MAX_LIMIT = 200
MAX_PAGE = 1_000_000
PAGE = Query(Param("page", rules.Whole(1, MAX_PAGE), default=1), Param("limit", rules.Whole(1, MAX_LIMIT), default=50))
# A view rather than a status (the SPEC's statuses stay five): queued jobs waiting for their next attempt.
WAITING = Query(
    Param(
        "waiting",
        rules.Choice(("retry",)),
        description="`retry`: only queued jobs waiting for their next attempt (run_after ahead), soonest first. "
        "Combines with no search parameter and no status but `queued` (400 invalid_parameter otherwise).",
    )
)
LIST = PAGE + filters.FILTER + WAITING
DETAIL = Query(Param("job_id", rules.JOB_ID, description="Return this job's detail instead of a list."))
_NOW_DEPENDENT = frozenset({"queue_time_seconds", "processing_time_seconds"})


def service() -> JobsService:
    return get_context().services.jobs


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    job_id = DETAIL.parse(req.params)["job_id"]  # `job_id=` is not given, as for every query parameter
    return _list(req) if job_id is None else _detail(req, job_id)


def _list(req: func.HttpRequest) -> func.HttpResponse:
    values = LIST.parse(req.params)
    page, limit = values["page"], values["limit"]
    if values["waiting"]:
        if filters.has_search(req.params) or values["status"] not in (None, "queued"):
            raise ApiError(400, "invalid_parameter", "'waiting' cannot be combined with a search or with a status other than queued")
    elif filters.has_search(req.params):
        return _search(filters.job_filter(values), page, limit)
    now = utc_now()
    result = service().list_waiting_retry(now, page, limit) if values["waiting"] else service().list_jobs(values["status"], page, limit, now)
    total = result.page.total
    jobs = [listed_job_json(job, now, result.models) for job in result.page.jobs]
    queue = queue_json(result.oldest_queued_at, now)
    body: dict[str, Any] = {
        "ok": True,
        "jobs": jobs,
        "stats": result.counts,
        "queue": queue,
        "pagination": {"page": page, "limit": limit, "total": total, "pages": -(-total // limit)},
    }
    # Polled every 2 s: an unchanged page answers 304. The seconds of active jobs grow with the clock
    # (the page advances them itself), so they stay out of the ETag; they follow from the timestamps.
    return _conditional(req, body, {**body, "jobs": without_keys(jobs, _NOW_DEPENDENT), "queue": queue["oldest_queued_at"]})


def _conditional(req: func.HttpRequest, body: dict[str, Any], tagged: dict[str, Any]) -> func.HttpResponse:
    """`body` with a strong ETag over `tagged`, or 304 when the caller already has that ETag."""
    etag = strong_etag(tagged)
    if matches(req, etag):
        return not_modified(etag, BASE_HEADERS)
    return json_response(body, headers={"ETag": etag})


def _search(where: JobFilter, page: int, limit: int) -> func.HttpResponse:
    """The list reply for a search: same shape as the plain list, and `capped` when the total
    stopped counting."""
    now = utc_now()
    result = service().search(where, page, limit, now)
    found = result.found
    return json_response(
        {
            "ok": True,
            "jobs": [listed_job_json(job, now, result.models) for job in found.jobs],
            "stats": result.counts,
            "queue": queue_json(result.oldest_queued_at, now),
            "pagination": {"page": page, "limit": limit, "total": found.total, "pages": -(-found.total // limit), "capped": found.capped},
        }
    )


def _detail(req: func.HttpRequest, job_id: str) -> func.HttpResponse:
    """Polled while Details is open on an unfinished job: an unchanged job answers 304, as the list does."""
    try:
        found = service().detail(job_id)
    except JobNotFound:
        raise ApiError(404, "job_not_found", f"No job with id {job_id}") from None
    snapshot = found.snapshot
    job_body = job_json(found.job, utc_now(), detail=True)
    body = {
        "ok": True,
        "job": job_body,
        "history": [_event_json(event) for event in found.history],
        "snapshot": snapshot_json(snapshot) | {"cost": snapshot_cost(get_settings().model_prices, snapshot)} if snapshot else None,
    }
    return _conditional(req, body, {**body, "job": without_keys([job_body], _NOW_DEPENDENT)})


def _event_json(event: JobEvent) -> dict[str, Any]:
    return {
        "at": iso_z(event.at),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor": event.actor,
        "detail": event.detail,
        "stored": event.stored,
    }


handle = admin_endpoint(read=_read, write=job_actions.ACTIONS.dispatch)
