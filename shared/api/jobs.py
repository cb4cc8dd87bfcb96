"""/api/admin/jobs: GET lists a page or one job's detail; POST performs an action."""

from __future__ import annotations

from typing import Any

import azure.functions as func

from shared.api import fields, job_actions
from shared.api.endpoint import admin_endpoint
from shared.api.filters import has_search, parse_filter
from shared.api.serializers import job_json, queue_json, snapshot_json
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z, utc_now
from shared.config import get_settings
from shared.http.etag import matches, not_modified, strong_etag, without_keys
from shared.http.requests import query_choice, query_int, valid_job_id
from shared.http.responses import BASE_HEADERS, ApiError, json_response
from shared.jobs.history import JobEvent
from shared.jobs.models import STATUSES
from shared.jobs.periods import InvalidPeriod, job_period
from shared.jobs.service import JobAlreadyFinished, JobNotFound, JobsService
from shared.metrics.prices import snapshot_cost
from shared.worker.dispatch import QueueUnavailable
from shared.worker.trigger import trigger_now

MAX_LIMIT = 200
MAX_PAGE = 1_000_000
_NOW_DEPENDENT = frozenset({"queue_time_seconds", "processing_time_seconds"})


def service() -> JobsService:
    return get_context().services.jobs


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    if req.params.get("job_id"):  # `job_id=` is not given, as for every query parameter
        return _detail(req, valid_job_id(req.params["job_id"]))
    return _list(req)


def _list(req: func.HttpRequest) -> func.HttpResponse:
    page = query_int(req, "page", 1, 1, MAX_PAGE)
    limit = query_int(req, "limit", 50, 1, MAX_LIMIT)
    if has_search(req.params):
        return _search(req, page, limit)
    status = query_choice(req, "status", STATUSES)
    result = service().list_jobs(status, page, limit)
    now = utc_now()
    total = result.page.total
    jobs = [job_json(job, now) for job in result.page.jobs]
    queue = queue_json(result.oldest_queued_at, now)
    body = {
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


def _search(req: func.HttpRequest, page: int, limit: int) -> func.HttpResponse:
    """The list reply for a search: same shape as the plain list, and `capped` when the total
    stopped counting."""
    result = service().search(parse_filter(req.params), page, limit)
    found = result.found
    now = utc_now()
    return json_response(
        {
            "ok": True,
            "jobs": [job_json(job, now) for job in found.jobs],
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


ACTION_FIELDS: dict[str, set[str]] = {
    "trigger_worker": set(),
    "cancel_job": {"job_id"},
    "enqueue_job": {"scope_type", "scope_key", "iso_week", "month_key"},
    **job_actions.ACTION_FIELDS,
}


def _action(body: dict[str, Any], identity: Identity) -> func.HttpResponse:
    action = fields.action(body, ACTION_FIELDS)
    if action == "trigger_worker":
        try:
            triggered = trigger_now(get_context(), identity.name)
        except QueueUnavailable as err:
            raise ApiError(503, "queue_unavailable", f"The job queue is unavailable ({err}); the worker timer will start the jobs") from None
        return json_response({"ok": True, "mode": triggered.mode, "dispatched": triggered.dispatched})
    if action in job_actions.ACTION_FIELDS:
        return job_actions.act(action, body, identity)
    if action == "cancel_job":
        return _cancel(valid_job_id(body.get("job_id")), identity)
    return _enqueue(body, identity)


def _cancel(job_id: str, identity: Identity) -> func.HttpResponse:
    try:
        job = job_actions.cancel(job_id, identity.name)
    except JobNotFound:
        raise ApiError(404, "job_not_found", f"No job with id {job_id}") from None
    except JobAlreadyFinished as err:
        raise ApiError(409, "job_finished", f"Job {job_id} is already {err.job.status}; only queued or running jobs can be canceled") from None
    return json_response({"ok": True, "job": job_json(job, utc_now(), detail=True)})


def _enqueue(body: dict[str, Any], identity: Identity) -> func.HttpResponse:
    scope_type = body.get("scope_type")
    scope_key = body.get("scope_key")
    scope_type = fields.scope_type(scope_type)
    scope_key = fields.text(scope_key, "scope_key", fields.MAX_SCOPE_KEY)
    iso_week, month_key = body.get("iso_week"), body.get("month_key")
    if not all(value is None or isinstance(value, str) for value in (iso_week, month_key)):
        raise ApiError(400, "invalid_period", "'iso_week' and 'month_key' must be strings")
    try:
        job_period(iso_week, month_key)
    except InvalidPeriod as err:
        raise ApiError(400, "invalid_period", str(err)) from None
    job, created = job_actions.enqueue(scope_type, scope_key, iso_week, month_key, identity.name)
    return json_response({"ok": True, "created": created, "job": job_json(job, utc_now(), detail=True)}, 201 if created else 200)


handle = admin_endpoint(read=_read, write=_action)
