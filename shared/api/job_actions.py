"""The POST actions of /api/admin/jobs beyond the worker run: retry and bulk actions, and the audited
enqueue and cancel. shared/api/jobs.py hands these requests over."""

from __future__ import annotations

from typing import Any

import azure.functions as func

from shared.api.filters import FILTER_KEYS, parse_filter
from shared.api.serializers import job_json
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import utc_now
from shared.http.requests import valid_job_id
from shared.http.responses import ApiError, json_response
from shared.jobs.actions import BULK_CAP, CANCEL, RETRY, BulkResult, JobActions, Outcome
from shared.jobs.models import Action, Job
from shared.jobs.search import JobFilter
from shared.jobs.service import JobAlreadyFinished, JobNotFound

ACTION_FIELDS: dict[str, set[str]] = {
    "retry_job": {"job_id"},
    "bulk_cancel": {"job_ids", "filter", "dry_run"},
    "bulk_retry": {"job_ids", "filter", "dry_run"},
}
_BULK = {"bulk_cancel": CANCEL, "bulk_retry": RETRY}


def actions() -> JobActions:
    return get_context().services.actions


# --- audited single-job actions (used by jobs.py's cancel_job and enqueue_job) --------------------


def cancel(job_id: str, actor: str) -> Job:
    return _changed(actions().cancel(job_id, actor), job_id)


def enqueue(scope_type: str, scope_key: str, iso_week: str | None, month_key: str | None, actor: str) -> tuple[Job, bool]:
    return actions().enqueue(scope_type, scope_key, iso_week, month_key, actor)


def _changed(outcome: Outcome, job_id: str) -> Job:
    if outcome.job is None:
        raise JobNotFound(job_id)
    if outcome.skipped is not None:
        raise JobAlreadyFinished(outcome.job)
    return outcome.job


# --- retry and bulk -------------------------------------------------------------------------------


def act(action: str, body: dict[str, Any], identity: Identity) -> func.HttpResponse:
    if action == "retry_job":
        return _retry(valid_job_id(body.get("job_id")), identity)
    return _bulk(_BULK[action], action, body, identity)


def _retry(job_id: str, identity: Identity) -> func.HttpResponse:
    outcome = actions().retry(job_id, identity.name)
    if outcome.job is None:
        raise ApiError(404, "job_not_found", f"No job with id {job_id}")
    if outcome.skipped is not None:
        raise ApiError(409, outcome.skipped.code, f"Job {job_id} was not retried: {outcome.skipped.reason}")
    return json_response({"ok": True, "job": job_json(outcome.job, utc_now(), detail=True)})


def _bulk(kind: Action, action: str, body: dict[str, Any], identity: Identity) -> func.HttpResponse:
    has_ids, has_filter = "job_ids" in body, "filter" in body
    if has_ids == has_filter:
        raise ApiError(400, "invalid_body", "Send either 'job_ids' (the selected rows) or 'filter' (everything matching it)")
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise ApiError(400, "invalid_field", "'dry_run' must be true or false")
    if has_ids:
        if dry_run:
            raise ApiError(400, "invalid_field", "'dry_run' goes with 'filter'; the page already knows the selected rows")
        ids = body["job_ids"]
        if not isinstance(ids, list) or not 1 <= len(ids) <= BULK_CAP:
            raise ApiError(400, "invalid_field", f"'job_ids' must be a list of 1 to {BULK_CAP} job ids")
        result = actions().bulk(kind, [valid_job_id(job_id, "job_ids[]") for job_id in ids], identity.name)
        return _bulk_reply(action, result)
    where = _body_filter(body["filter"])
    if dry_run:
        ids, capped = actions().eligible(kind, where)
        return json_response({"ok": True, "action": action, "dry_run": True, "matched": len(ids), "capped": capped})
    return _bulk_reply(action, actions().bulk_matching(kind, where, identity.name))


def _body_filter(value: Any) -> JobFilter:
    if not isinstance(value, dict):
        raise ApiError(400, "invalid_field", "'filter' must be an object")
    unknown = set(value) - set(FILTER_KEYS)
    if unknown:
        raise ApiError(400, "unknown_field", f"Unknown filter field(s): {', '.join(sorted(unknown))}")
    if not all(isinstance(item, str) for item in value.values()):
        raise ApiError(400, "invalid_parameter", "Every 'filter' value must be a string (empty: any)")
    return parse_filter(value)


def _bulk_reply(action: str, result: BulkResult) -> func.HttpResponse:
    return json_response(
        {
            "ok": True,
            "action": action,
            "capped": result.capped,
            "changed": result.changed,
            "skipped": [{"job_id": item.job_id, "code": item.code, "reason": item.reason} for item in result.skipped],
        }
    )
