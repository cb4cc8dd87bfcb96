"""POST /api/admin/jobs: the action table. Each action names its fields and the service call; a new
action is one entry in ACTIONS and its function here (the OpenAPI document follows from the table)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import azure.functions as func

from shared.api import rules
from shared.api.actions import ActionTable, ExactlyOne, Field, OnlyWith, PostAction
from shared.api.filters import FilterObject
from shared.api.serializers import job_json
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import utc_now
from shared.http.responses import ApiError, json_response
from shared.jobs.actions import BULK_CAP, CANCEL, RETRY, BulkResult, JobActions, Outcome, Skipped
from shared.jobs.models import Action, Job
from shared.jobs.search import JobFilter
from shared.worker.dispatch import QueueUnavailable
from shared.worker.trigger import trigger_now


def actions() -> JobActions:
    return get_context().services.actions


def _job_reply(job: Job, status: int = 200, **extra: Any) -> func.HttpResponse:
    return json_response({"ok": True, **extra, "job": job_json(job, utc_now(), detail=True)}, status)


# --- the worker -----------------------------------------------------------------------------------


def trigger_worker(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    """Answers at once: the queued jobs go to the queue trigger (or a background pass without a queue)."""
    try:
        triggered = trigger_now(get_context(), identity.name)
    except QueueUnavailable as err:
        raise ApiError(503, "queue_unavailable", f"The job queue is unavailable ({err}); the worker timer will start the jobs") from None
    return json_response({"ok": True, "mode": triggered.mode, "dispatched": triggered.dispatched})


# --- one job --------------------------------------------------------------------------------------


def _changed(outcome: Outcome, job_id: str, refusal: Callable[[Job, Skipped], ApiError]) -> func.HttpResponse:
    """The changed job's reply; 404 when there is no such job, `refusal` when its state forbids the change."""
    if outcome.job is None:
        raise ApiError(404, "job_not_found", f"No job with id {job_id}")
    if outcome.skipped is not None:
        raise refusal(outcome.job, outcome.skipped)
    return _job_reply(outcome.job)


def _cancel(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    job_id = values["job_id"]
    return _changed(
        actions().cancel(job_id, identity.name),
        job_id,
        lambda job, skipped: ApiError(409, "job_finished", f"Job {job_id} is already {job.status}; only queued or running jobs can be canceled"),
    )


def _enqueue(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    job, created = actions().enqueue(values["scope_type"], values["scope_key"], values.get("iso_week"), values.get("month_key"), identity.name)
    return _job_reply(job, 201 if created else 200, created=created)


def _retry(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    job_id = values["job_id"]
    return _changed(
        actions().retry(job_id, identity.name),
        job_id,
        lambda job, skipped: ApiError(409, skipped.code, f"Job {job_id} was not retried: {skipped.reason}"),
    )


# --- many jobs ------------------------------------------------------------------------------------


def _bulk(kind: Action, action: str) -> PostAction:
    def run(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
        if "job_ids" in values:
            return _bulk_reply(action, actions().bulk(kind, values["job_ids"], identity.name))
        where: JobFilter = values["filter"]
        if values.get("dry_run"):
            ids, capped = actions().eligible(kind, where)
            return json_response({"ok": True, "action": action, "dry_run": True, "matched": len(ids), "capped": capped})
        return _bulk_reply(action, actions().bulk_matching(kind, where, identity.name))

    return PostAction(
        action,
        "".join(word.title() for word in action.split("_")),
        run,
        fields=(
            Field("job_ids", rules.ListOf(rules.JOB_ID, BULK_CAP, "'{name}' must be a list of 1 to {longest} job ids")),
            Field("filter", FilterObject()),
            Field("dry_run", rules.Boolean()),
        ),
        joins=(
            ExactlyOne(("job_ids", "filter"), "invalid_body", "Send either 'job_ids' (the selected rows) or 'filter' (everything matching it)"),
            OnlyWith("dry_run", "filter", "'dry_run' goes with 'filter'; the page already knows the selected rows"),
        ),
        description="Either job_ids (selected rows) or filter (every job matching it that the action can change, newest first, "
        f"at most {BULK_CAP:,}). dry_run (with filter) only counts them.",
    )


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


JOB_ID = Field("job_id", rules.JOB_ID, required=True)
ACTIONS = ActionTable(
    (
        PostAction("trigger_worker", "TriggerWorker", trigger_worker),
        PostAction("cancel_job", "CancelJob", _cancel, fields=(JOB_ID,)),
        PostAction(
            "enqueue_job",
            "EnqueueJob",
            _enqueue,
            fields=(
                Field("scope_type", rules.SCOPE_TYPE, required=True),
                Field("scope_key", rules.SCOPE_KEY, required=True),
                Field("iso_week", rules.Nullable(rules.ISO_WEEK)),
                Field("month_key", rules.Nullable(rules.MONTH_KEY)),
            ),
            joins=(ExactlyOne(("iso_week", "month_key"), "invalid_period", "give exactly one of iso_week and month_key", null_is_absent=True),),
            description="Give exactly one of iso_week and month_key (the other absent or null).",
        ),
        PostAction("retry_job", "RetryJob", _retry, fields=(JOB_ID,)),
        _bulk(CANCEL, "bulk_cancel"),
        _bulk(RETRY, "bulk_retry"),
    )
)
