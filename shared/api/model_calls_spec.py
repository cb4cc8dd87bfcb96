"""The OpenAPI description of issue 19's routes (shared/api/model_calls.py): model calls, reports
(compare, re-run, rate) and models. Merged into the document by shared/api/openapi_spec.document()."""

from __future__ import annotations

from typing import Any

from shared.api.openapi_spec import (
    COUNT,
    JOB_ID,
    METHOD_ERROR,
    MONEY,
    RATE,
    READ_ERRORS,
    TIME,
    WRITE_ERRORS,
    error,
    json_content,
    nullable,
    obj,
    ref,
    text_schema,
)
from shared.traces.service import MAX_NOTE

_TEXT = {"type": "string"}
_INT = nullable({"type": "integer"})
_PROMPT_VERSION = nullable({"type": "string", "description": "name@hash of the prompt template and schema"})
_RATING = obj({"rating": {"enum": ["good", "bad"]}, "note": nullable(_TEXT), "rated_by": _TEXT, "rated_at": TIME})
_SEGMENT = obj({"op": {"enum": ["same", "removed", "added"]}, "text": _TEXT})

SCHEMAS: dict[str, Any] = {
    "ModelCall": obj(
        {
            "call_id": {"type": "integer", "minimum": 1},
            "attempt": COUNT,
            "call_no": {"type": "integer", "minimum": 1, "description": "1: the request; 2: the repair request after an invalid answer."},
            "repair": {"type": "boolean"},
            "started_at": TIME,
            "generator": {"enum": ["offline", "azure_openai", "openai"]},
            "model": nullable(_TEXT),
            "answered_model": nullable(_TEXT),
            "prompt_version": _PROMPT_VERSION,
            "parameters": {"type": "object", "description": "What the call sent besides the messages: temperature, response format, schema hash."},
            "messages": {"type": "array", "items": {"type": "object", "properties": {"role": _TEXT, "content": _TEXT}, "required": ["role", "content"]}},
            "answer": nullable({"type": "string", "description": "The raw answer before validation."}),
            "finish_reason": nullable(_TEXT),
            "prompt_tokens": _INT,
            "completion_tokens": _INT,
            "latency_ms": _INT,
            "request_id": nullable(_TEXT),
            "outcome": {"enum": ["valid", "invalid", "error"]},
            "problem": nullable({"type": "string", "description": "What broke the schema, or the call's error."}),
            "truncated": {"type": "boolean", "description": "A text was cut at 40,000 characters; it ends saying how much was left out."},
        }
    ),
    "ModelCallsReply": obj(
        {
            "ok": {"const": True},
            "job_id": JOB_ID,
            "current_prompt_version": _TEXT,
            "calls": {"type": "array", "items": ref("ModelCall"), "description": "Oldest first, every attempt's calls."},
            "model_choice": nullable({"type": "string", "description": "The MODEL_CHOICES entry a re-run asked for; null: the configured generator."}),
            "rerun_of": nullable(JOB_ID),
            "reruns": {"type": "array", "items": JOB_ID},
            "rating": nullable(_RATING),
            "same_period": {
                "type": "array",
                "items": obj({"job_id": JOB_ID, "created_at": TIME, "gen_model": nullable(_TEXT), "prompt_version": _PROMPT_VERSION}),
            },
            "choices": {"type": "array", "items": _TEXT, "description": "What a re-run may use (MODEL_CHOICES)."},
        }
    ),
    "ReportSide": obj(
        {
            "job_id": JOB_ID,
            "created_at": TIME,
            "model": nullable(_TEXT),
            "model_choice": nullable(_TEXT),
            "prompt_version": _PROMPT_VERSION,
            "prompt_tokens": _INT,
            "completion_tokens": _INT,
            "total_tokens": _INT,
            "cost": nullable(MONEY),
            "gen_ms": _INT,
            "rating": nullable({"enum": ["good", "bad"]}),
        }
    ),
    "ReportComparison": obj(
        {
            "ok": {"const": True},
            "scope_type": _TEXT,
            "scope_key": _TEXT,
            "period": _TEXT,
            "left": ref("ReportSide"),
            "right": ref("ReportSide"),
            "kpis": {
                "type": "array",
                "items": obj(
                    {
                        "name": _TEXT,
                        "unit": nullable(_TEXT),
                        "left": nullable({"type": "number"}),
                        "right": nullable({"type": "number"}),
                        "difference": nullable({"type": "number", "description": "right minus left"}),
                        "left_change_pct": nullable({"type": "number"}),
                        "right_change_pct": nullable({"type": "number"}),
                    }
                ),
            },
            "sections": {
                "type": "object",
                "description": "headline, summary, highlights, risks, recommendations: word-level diffs, left to right.",
                "additionalProperties": {"type": "array", "items": _SEGMENT},
            },
        }
    ),
    "RerunJob": obj({"action": {"const": "rerun_job"}, "job_id": JOB_ID, "model": {"type": "string", "minLength": 1, "maxLength": 250}}),
    "RateReport": obj(
        {"action": {"const": "rate_report"}, "job_id": JOB_ID, "rating": {"enum": ["good", "bad"]}, "note": nullable(text_schema(MAX_NOTE))},
        required=["action", "job_id", "rating"],
    ),
    "RerunReply": obj({"ok": {"const": True}, "job": ref("JobDetail"), "rerun_of": JOB_ID, "model_choice": _TEXT}),
    "RatingReply": obj({"ok": {"const": True}, "job_id": JOB_ID, "rating": _RATING}),
    "ModelComparison": obj(
        {
            "ok": {"const": True},
            "days": {"type": "integer", "minimum": 1, "maximum": 90},
            "current_prompt_version": _TEXT,
            "choices": {"type": "array", "items": _TEXT},
            "models": {
                "type": "array",
                "items": obj(
                    {
                        "generator": _TEXT,
                        "model": nullable(_TEXT),
                        "prompt_version": _PROMPT_VERSION,
                        "succeeded": COUNT,
                        "failed": COUNT,
                        "success_rate": nullable(RATE),
                        "gen_ms_avg": nullable({"type": "number", "minimum": 0}),
                        "prompt_tokens": COUNT,
                        "completion_tokens": COUNT,
                        "cost": nullable(MONEY),
                        "rated": COUNT,
                        "rated_good": COUNT,
                        "good_share": nullable(RATE),
                    }
                ),
            },
        }
    ),
}

_JOB_PARAM = {"in": "query", "required": True, "schema": JOB_ID}
_NOT_FOUND = {"404": error("No job with that id.")}

PATHS: dict[str, Any] = {
    "/api/admin/model-calls": {
        "get": {
            "operationId": "modelCalls",
            "summary": "A job's model calls: the messages sent, the raw answers, validation, and its re-runs and rating",
            "parameters": [{"name": "job_id", **_JOB_PARAM}],
            "responses": {
                "200": {"description": "The calls, oldest first.", **json_content(ref("ModelCallsReply"))},
                **_NOT_FOUND,
                **READ_ERRORS,
                **METHOD_ERROR,
            },
        }
    },
    "/api/admin/reports": {
        "get": {
            "operationId": "compareReports",
            "summary": "Two reports of the same scope and period side by side",
            "parameters": [{"name": "left", **_JOB_PARAM}, {"name": "right", **_JOB_PARAM}],
            "responses": {
                "200": {"description": "KPIs with differences, word-level diffs, and each side's model and cost.", **json_content(ref("ReportComparison"))},
                **_NOT_FOUND,
                "409": error("A job has no report."),
                **READ_ERRORS,
                "400": error("A parameter is malformed, or the two reports are of different scopes or periods."),
                **METHOD_ERROR,
            },
        },
        "post": {
            "operationId": "reportAction",
            "summary": "Re-run a report with another model (MODEL_CHOICES), or rate it good or bad",
            "requestBody": {"required": True, **json_content({"oneOf": [ref("RerunJob"), ref("RateReport")]})},
            "responses": {
                "200": {"description": "The rating was stored (and audited).", **json_content(ref("RatingReply"))},
                "201": {"description": "The re-run was queued, linked to the original.", **json_content(ref("RerunReply"))},
                **_NOT_FOUND,
                "409": error("The job is not finished, has no report, or another job for its scope and period is active."),
                **WRITE_ERRORS,
                "400": error("A field is malformed, or the model is not one of MODEL_CHOICES; nothing was changed."),
            },
        },
    },
    "/api/admin/models": {
        "get": {
            "operationId": "modelComparison",
            "summary": "Per generator, model and prompt version: success rate, generation time, tokens, cost and the share rated good",
            "parameters": [{"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 90, "default": 30}}],
            "responses": {
                "200": {"description": "Jobs whose latest attempt ran in the last `days` days.", **json_content(ref("ModelComparison"))},
                **READ_ERRORS,
                **METHOD_ERROR,
            },
        }
    },
}
