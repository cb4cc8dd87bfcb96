"""/api/admin/model-calls, /api/admin/reports and /api/admin/models (issue 19).

GET model-calls?job_id=  a job's model calls (prompt, raw answer, validation), its re-run links,
                         its rating, the other reports of its scope and period, the model choices
GET reports?left=&right= two reports of one scope and period side by side
POST reports             rerun_job (with a MODEL_CHOICES entry) or rate_report (good or bad, a note)
GET models?days=         per generator, model and prompt version: success rate, time, tokens, cost,
                         and the share rated good
Viewers read; admins act (shared/api/endpoint.py)."""

from __future__ import annotations

from typing import Any

import azure.functions as func

from shared.api import fields
from shared.api.endpoint import admin_endpoint
from shared.api.serializers import job_json
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z, utc_now
from shared.http.requests import query_int, valid_job_id
from shared.http.responses import ApiError, json_response
from shared.jobs.service import JobNotFound
from shared.reports.prompt_version import PROMPT_VERSION
from shared.traces.repository import Rating, StoredCall
from shared.traces.service import MAX_NOTE, RATINGS, JobCalls, ModelCallsService, ModelRow, NotAllowed

MAX_DAYS = 90
ACTION_FIELDS: dict[str, set[str]] = {"rerun_job": {"job_id", "model"}, "rate_report": {"job_id", "rating", "note"}}
_STATUS_BY_CODE = {"unknown_model": 400, "not_comparable": 400}  # the rest: 409, the job's state decides


def service() -> ModelCallsService:
    context = get_context()
    return ModelCallsService(context.db, context.settings)


def _not_allowed(err: NotAllowed) -> ApiError:
    return ApiError(_STATUS_BY_CODE.get(err.code, 409), err.code, str(err))


def _not_found(job_id: str) -> ApiError:
    return ApiError(404, "job_not_found", f"No job with id {job_id}")


# --- GET model-calls -------------------------------------------------------------------------------


def _call_json(call: StoredCall) -> dict[str, Any]:
    return {
        "call_id": call.call_id,
        "attempt": call.attempt,
        "call_no": call.call_no,
        "repair": call.call_no > 1,
        "started_at": iso_z(call.started_at),
        "generator": call.generator,
        "model": call.model,
        "answered_model": call.answered_model,
        "prompt_version": call.prompt_version,
        "parameters": call.parameters,
        "messages": call.messages,
        "answer": call.answer_text,
        "finish_reason": call.finish_reason,
        "prompt_tokens": call.prompt_tokens,
        "completion_tokens": call.completion_tokens,
        "latency_ms": call.latency_ms,
        "request_id": call.request_id,
        "outcome": call.outcome,
        "problem": call.problem,
        "truncated": call.truncated,
    }


def _rating_json(rating: Rating | None) -> dict[str, Any] | None:
    return None if rating is None else {"rating": rating.rating, "note": rating.note, "rated_by": rating.rated_by, "rated_at": iso_z(rating.rated_at)}


def _calls_reply(found: JobCalls, choices: list[str]) -> dict[str, Any]:
    recorded = found.model
    return {
        "ok": True,
        "job_id": found.job.job_id,
        "current_prompt_version": PROMPT_VERSION,
        "calls": [_call_json(call) for call in found.calls],
        "model_choice": recorded.model_choice if recorded else None,
        "rerun_of": recorded.rerun_of if recorded else None,
        "reruns": found.reruns,
        "rating": _rating_json(found.rating),
        "same_period": [
            {
                "job_id": str(row["job_id"]),
                "created_at": iso_z(row["created_at"]),
                "gen_model": row.get("gen_model"),
                "prompt_version": row.get("prompt_version"),
            }
            for row in found.same_period
        ],
        "choices": choices,
    }


def _read_calls(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    job_id = valid_job_id(req.params.get("job_id"))
    calls = service()
    try:
        found = calls.job_calls(job_id)
    except JobNotFound:
        raise _not_found(job_id) from None
    return json_response(_calls_reply(found, [choice.key for choice in calls.choices()]))


# --- GET and POST reports --------------------------------------------------------------------------


def _read_comparison(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    left, right = valid_job_id(req.params.get("left"), "left"), valid_job_id(req.params.get("right"), "right")
    try:
        compared = service().compare(left, right)
    except JobNotFound as err:
        raise _not_found(str(err)) from None
    except NotAllowed as err:
        raise _not_allowed(err) from None
    for side in ("left", "right"):
        compared[side]["created_at"] = iso_z(compared[side]["created_at"])
    return json_response({"ok": True, **compared})


def _act(body: dict[str, Any], identity: Identity) -> func.HttpResponse:
    action = fields.action(body, ACTION_FIELDS)
    job_id = valid_job_id(body.get("job_id"))
    try:
        if action == "rerun_job":
            model = body.get("model")
            if not isinstance(model, str) or not model:
                raise ApiError(400, "invalid_field", "'model' must be one of the configured model choices (GET /api/admin/model-calls lists them)")
            job = service().rerun(job_id, model, identity.name)
            return json_response({"ok": True, "job": job_json(job, utc_now(), detail=True), "rerun_of": job_id, "model_choice": model}, 201)
        rating = body.get("rating")
        if rating not in RATINGS:
            raise ApiError(400, "invalid_field", "'rating' must be good or bad")
        note = body.get("note")
        note = None if note in (None, "") else fields.text(note, "note", MAX_NOTE)  # empty: no note
        return json_response({"ok": True, "job_id": job_id, "rating": _rating_json(service().rate(job_id, str(rating), note, identity.name))})
    except JobNotFound:
        raise _not_found(job_id) from None
    except NotAllowed as err:
        raise _not_allowed(err) from None


# --- GET models ------------------------------------------------------------------------------------


def _model_json(row: ModelRow) -> dict[str, Any]:
    return {
        "generator": row.generator,
        "model": row.model,
        "prompt_version": row.prompt_version,
        "succeeded": row.succeeded,
        "failed": row.failed,
        "success_rate": row.success_rate,
        "gen_ms_avg": row.gen_ms_avg,
        "prompt_tokens": row.prompt_tokens,
        "completion_tokens": row.completion_tokens,
        "cost": row.cost,
        "rated": row.rated,
        "rated_good": row.rated_good,
        "good_share": row.good_share,
    }


def _read_models(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    days = query_int(req, "days", 30, 1, MAX_DAYS)
    calls = service()
    rows = calls.model_comparison(days)
    return json_response(
        {
            "ok": True,
            "days": days,
            "current_prompt_version": PROMPT_VERSION,
            "choices": [choice.key for choice in calls.choices()],
            "models": [_model_json(row) for row in rows],
        }
    )


handle_calls = admin_endpoint(read=_read_calls)
handle_reports = admin_endpoint(read=_read_comparison, write=_act)
handle_models = admin_endpoint(read=_read_models)
