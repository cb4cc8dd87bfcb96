"""The OpenAPI 3.1 document for every admin route, served at /api/admin/openapi.json.

Built in Python so that the shared pieces (errors, auth, the job shape) are written once. What a
request may send is not written here: request bodies come from the routes' action tables and query
parameters from their query definitions, which the handlers parse with (shared/api/rules.py).
Tests validate real responses against it and run schemathesis over it.
"""

from __future__ import annotations

from typing import Any

from shared.api import audit, filters, job_actions, jobs, metrics, rules, schedules, scopes
from shared.jobs.models import STATUSES

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any], required: list[str] | None = None, extra: bool = False) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required if required is not None else list(properties), "additionalProperties": extra}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {JSON: {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    return {"description": description, **json_content(ref("Error"))}


TIME = {"type": "string", "format": "date-time", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"}
COUNT = {"type": "integer", "minimum": 0}
SECONDS = {"type": "number", "minimum": 0}
JOB_ID = rules.JOB_ID.schema()
ISO_WEEK = rules.ISO_WEEK.schema()
MONTH_KEY = rules.MONTH_KEY.schema()
RATE = {"type": "number", "minimum": 0, "maximum": 1}
MONEY = {"type": "number", "minimum": 0}

# Replies every admin call can give besides its own.
READ_ERRORS = {
    "400": error("A parameter is malformed; nothing was changed."),
    "401": error("No identity, or auth is not configured (the message says what to set)."),
    "403": error("Signed in, but without the admin (or viewer, for reads) role."),
    "503": error("The database is unavailable; retry after the Retry-After seconds."),
}
WRITE_ERRORS = {
    **READ_ERRORS,
    "403": error("Without the admin role, or a cross-origin request."),
    "413": error("The body is over 64 KiB."),
    "415": error("The body is not sent as application/json."),
}
METHOD_ERROR = {"405": error("Wrong method; the Allow header lists the right ones.")}

JOB_PROPERTIES: dict[str, Any] = {
    "job_id": JOB_ID,
    "scope_type": {"type": "string"},
    "scope_key": {"type": "string"},
    "iso_week": nullable({"type": "string"}),
    "month_key": nullable({"type": "string"}),
    "period": {"type": "string"},
    "status": ref("Status"),
    "reason": nullable({"type": "string"}),
    "created_at": TIME,
    "started_at": nullable(TIME),
    "finished_at": nullable(TIME),
    "created_by": nullable({"type": "string"}),
    "attempts": COUNT,
    "max_attempts": COUNT,
    "run_after": nullable({**TIME, "description": "A queued job waiting to retry after a transient failure is not claimed before this time."}),
    "queue_time_seconds": {**SECONDS, "description": "Creation to start; for a waiting job, to now; canceled before start, to cancel."},
    "processing_time_seconds": nullable({**SECONDS, "description": "Start to finish; for a running job, to now."}),
}
JOB_DETAIL_PROPERTIES: dict[str, Any] = {
    "error_detail": nullable({"type": "string", "description": "Stack trace of the last failure."}),
    "worker_id": nullable({"type": "string"}),
    "lease_expires_at": nullable(TIME),
    "heartbeat_at": nullable(TIME),
}

SCHEMAS: dict[str, Any] = {
    "Error": obj(
        {
            "ok": {"const": False},
            "error": {"type": "string", "description": "A message for people."},
            "code": {"type": "string", "description": "A stable machine-readable code."},
        }
    ),
    "Status": {"type": "string", "enum": list(STATUSES)},
    "Stats": obj(
        {
            **{name: COUNT for name in ("total", *STATUSES)},
            "retrying": {**COUNT, "description": "Queued jobs waiting for their next attempt after a transient failure (counted in queued too)."},
        }
    ),
    "Pagination": obj({"page": {"type": "integer", "minimum": 1}, "limit": {"type": "integer", "minimum": 1, "maximum": 200}, "total": COUNT, "pages": COUNT}),
    "Job": obj({**JOB_PROPERTIES, "gen_model": nullable({"type": "string", "description": "The model that wrote a succeeded job's report."})}),
    "JobDetail": obj({**JOB_PROPERTIES, **JOB_DETAIL_PROPERTIES}),
    "Snapshot": obj(
        {
            "snapshot_id": nullable({"type": "integer"}),
            "job_id": nullable({"type": "string"}),
            "created_at": TIME,
            "rows_used": nullable(COUNT),
            "gen_model": nullable({"type": "string"}),
            "gen_ms": nullable(COUNT),
            "json_size_bytes": COUNT,
            "prompt_tokens": nullable(COUNT),
            "completion_tokens": nullable(COUNT),
            "total_tokens": nullable(COUNT),
            "prompt_version": nullable({"type": "string", "description": "name@hash of the prompt template and schema it was made with."}),
            "cost": nullable({**MONEY, "description": "What the tokens cost at MODEL_PRICES; null when the model has no price."}),
            "analysis": {"description": "The report JSON (see the README's report schema), or null if unreadable."},
        }
    ),
    "WorkerRun": obj(
        {
            "run_id": {"type": "string"},
            "trigger": {"type": "string"},
            "started_at": TIME,
            "finished_at": nullable(TIME),
            **{name: COUNT for name in ("reaped", "claimed", "succeeded", "failed", "requeued", "canceled", "still_queued")},
            "ms": COUNT,
            "error": nullable({"type": "string"}),
        },
        extra=True,
    ),
    "JobList": obj(
        {
            "ok": {"const": True},
            "jobs": {"type": "array", "items": ref("Job")},
            "stats": ref("Stats"),
            "pagination": ref("Pagination"),
            "queue": obj(
                {
                    "oldest_queued_at": {**nullable(TIME), "description": "Creation time of the longest-waiting queued job."},
                    "oldest_wait_seconds": nullable(SECONDS),
                }
            ),
        }
    ),
    "JobDetailReply": obj({"ok": {"const": True}, "job": ref("JobDetail"), "snapshot": nullable(ref("Snapshot"))}),
    "JobReply": obj({"ok": {"const": True}, "job": ref("JobDetail")}),
    "EnqueueReply": obj({"ok": {"const": True}, "created": {"type": "boolean"}, "job": ref("JobDetail")}),
    "WorkerRunReply": obj({"ok": {"const": True}, "run": ref("WorkerRun")}),
    **job_actions.ACTIONS.schemas(),
    "TriggerReply": obj(
        {
            "ok": {"const": True},
            "mode": {"enum": ["queue", "timer"], "description": "queue: a message per job was sent; timer: a pass started in the background."},
            "dispatched": {**COUNT, "description": "Messages sent (queue), or queued jobs the background pass will look at (timer)."},
        }
    ),
    # --- operations: metrics, LLM usage and cost, worker health ---
    "MetricsReply": obj(
        {
            "ok": {"const": True},
            "range": {"type": "string", "enum": ["24h", "7d", "30d"]},
            "bucket": {"type": "string", "enum": ["hour", "day"]},
            "since": {**TIME, "description": "Start of the first bucket (inclusive)."},
            "until": {**TIME, "description": "End of the last bucket (exclusive); the last bucket holds now."},
            "buckets": {"type": "array", "items": TIME, "description": "Each bucket's start, UTC; every series has one value per bucket."},
            "series": obj(
                {
                    **{
                        name: {"type": "array", "items": COUNT, "description": f"Jobs created in the bucket that are now {name}."}
                        for name in ("succeeded", "failed", "canceled")
                    },
                    "created": {"type": "array", "items": COUNT},
                    "success_rate": {"type": "array", "items": nullable(RATE), "description": "succeeded / (succeeded + failed); null with neither."},
                    **{
                        name: {
                            "type": "array",
                            "items": nullable(SECONDS),
                            "description": "Nearest-rank percentile read off log-scale bins: within 1/11 (9.1%) of the exact value, "
                            "0 under 1 ms; null with no timed job.",
                        }
                        for name in ("queue_wait_p50_seconds", "queue_wait_p95_seconds", "processing_p50_seconds", "processing_p95_seconds")
                    },
                }
            ),
            "models": {
                "type": "array",
                "items": obj(
                    {
                        "model": {"type": "string"},
                        "avg_gen_ms": {"type": "array", "items": nullable({"type": "number", "minimum": 0})},
                        "reports": {"type": "array", "items": COUNT},
                    }
                ),
            },
            "totals": obj({**{name: COUNT for name in ("created", "succeeded", "failed", "canceled")}, "success_rate": nullable(RATE)}),
        }
    ),
    "ModelUsage": obj(
        {
            "model": nullable({"type": "string", "description": "null: jobs whose model was not recorded (a failed job stores no snapshot)."}),
            "jobs": COUNT,
            "succeeded": COUNT,
            "failed": COUNT,
            "success_rate": nullable(RATE),
            **{
                name: nullable({**COUNT, "description": "Nearest-rank percentile read off log-scale bins: within 1/11 (9.1%) of the exact value."})
                for name in ("gen_ms_p50", "gen_ms_p95")
            },
            "gen_ms_avg": nullable({"type": "number", "minimum": 0}),
            "prompt_tokens": COUNT,
            "completion_tokens": COUNT,
            "total_tokens": COUNT,
            "jobs_with_usage": {**COUNT, "description": "Jobs that recorded token counts."},
            "cost": nullable({**MONEY, "description": "null: MODEL_PRICES has no price for this model."}),
        }
    ),
    "UsageReply": obj(
        {
            "ok": {"const": True},
            "range": {"type": "string", "enum": ["24h", "7d", "30d"]},
            "since": TIME,
            "until": TIME,
            "currency": {"type": "string", "description": "The currency MODEL_PRICES is written in."},
            "models": {"type": "array", "items": ref("ModelUsage")},
            "totals": obj(
                {
                    "jobs": COUNT,
                    "succeeded": COUNT,
                    "failed": COUNT,
                    "success_rate": nullable(RATE),
                    "prompt_tokens": COUNT,
                    "completion_tokens": COUNT,
                    "total_tokens": COUNT,
                    "cost": nullable({**MONEY, "description": "Of the priced models; null when none is priced."}),
                    "unpriced_models": {"type": "array", "items": {"type": "string"}, "description": "Models with tokens but no price: left out of cost."},
                }
            ),
        }
    ),
    "HealthRun": obj(
        {
            "run_id": {"type": "string"},
            "trigger": {"type": "string"},
            "worker_id": {"type": "string"},
            "started_at": TIME,
            "finished_at": nullable(TIME),
            "duration_ms": nullable(COUNT),
            **{name: COUNT for name in ("reaped", "claimed", "succeeded", "failed", "requeued", "canceled")},
            "error": nullable({"type": "string"}),
            "state": {
                "type": "string",
                "enum": ["ok", "failed", "running", "unfinished"],
                "description": "unfinished: no finish recorded long after any pass would have ended (the process stopped).",
            },
        }
    ),
    "RunningJob": obj(
        {
            "job_id": JOB_ID,
            "scope_type": {"type": "string"},
            "scope_key": {"type": "string"},
            "period": {"type": "string"},
            "worker_id": nullable({"type": "string"}),
            "started_at": nullable(TIME),
            "heartbeat_at": nullable(TIME),
            "lease_expires_at": nullable(TIME),
            "running_seconds": nullable(SECONDS),
            "lease_age_seconds": nullable({**SECONDS, "description": "Since the lease was last renewed (heartbeat, else claim)."}),
            "overdue_seconds": nullable({**SECONDS, "description": "How long ago the lease expired; null while it holds."}),
            "stuck": {"type": "boolean", "description": "The lease expired: its worker stopped; the next pass requeues or fails it."},
            "attempts": COUNT,
            "max_attempts": COUNT,
        }
    ),
    "HealthReply": obj(
        {
            "ok": {"const": True},
            "now": TIME,
            "schedule": obj(
                {
                    "expression": {"type": "string", "description": "WORKER_SCHEDULE (NCRONTAB, seconds first, UTC)."},
                    "next_run_at": nullable(TIME),
                    "last_due_at": nullable(TIME),
                    "error": nullable({"type": "string"}),
                }
            ),
            "behind_schedule": nullable({"type": "boolean", "description": "The timer missed its latest firing; null before any timer pass."}),
            "last_run": nullable(ref("HealthRun")),
            "recent_runs": {"type": "array", "items": ref("HealthRun")},
            "problem_runs": {"type": "array", "items": ref("HealthRun"), "description": "Passes of the last 7 days that failed or never finished."},
            "running": obj(
                {
                    "total": COUNT,
                    "limit": {**COUNT, "description": "WORKER_GLOBAL_CONCURRENCY: the most jobs that may run at once across every instance."},
                    "stuck": COUNT,
                    "jobs": {"type": "array", "maxItems": 50, "items": ref("RunningJob")},
                }
            ),
            "queue": nullable(
                obj(
                    {
                        "name": {"type": "string"},
                        "length": nullable({**COUNT, "description": "Messages in the queue (approximate, as Azure Storage counts)."}),
                        "oldest_at": nullable(TIME),
                        "oldest_age_seconds": nullable(SECONDS),
                        "poison_length": nullable({**COUNT, "description": "Messages that failed maxDequeueCount times, in <name>-poison."}),
                        "poison": {
                            "type": "array",
                            "maxItems": 10,
                            "items": obj(
                                {"message_id": {"type": "string"}, "job_id": nullable(JOB_ID), "body": {"type": "string"}, "inserted_at": nullable(TIME)}
                            ),
                        },
                        "error": nullable({"type": "string"}),
                    }
                )
            ),
            "delivery_failures": {
                "type": "array",
                "items": obj(
                    {
                        "id": {"type": "integer"},
                        "channel": {"type": "string"},
                        "kind": {"type": "string"},
                        "job_id": nullable({"type": "string"}),
                        "attempts": COUNT,
                        "error": {"type": "string"},
                        "last_attempt_at": nullable(TIME),
                        "next_attempt_at": nullable(TIME),
                        "given_up": {"type": "boolean"},
                    }
                ),
                "description": "Alerts (webhook, email) whose last delivery failed.",
            },
        }
    ),
    # --- report schedules and known scopes ---
    "RunResult": obj(
        {
            "period": {"type": "string"},
            "trigger": {"type": "string", "enum": ["timer", "run_now"]},
            "run_by": {"type": "string"},
            "run_at": TIME,
            "scopes": COUNT,
            "created": {**COUNT, "description": "New jobs queued."},
            "existing": {**COUNT, "description": "Scopes already covered by a queued or running job."},
            "jobs": {
                "type": "array",
                "maxItems": 20,
                "description": "The first jobs the run queued or matched.",
                "items": obj({"job_id": JOB_ID, "scope_key": {"type": "string"}, "created": {"type": "boolean"}}),
            },
            "error": nullable({"type": "string"}),
            "in_progress": {
                "type": "boolean",
                "description": "The run is still queueing its scopes in chunks, or was cut off and resumes on the next timer pass.",
            },
        }
    ),
    "Schedule": obj(
        {
            "schedule_id": JOB_ID,
            "name": {"type": "string"},
            "scope_type": {"type": "string"},
            "scope_key": nullable({"type": "string", "description": "null: every scope of the type with source rows in the period."}),
            "period_kind": {"type": "string", "enum": ["week", "month"]},
            "cron": {"type": "string", "description": "Five fields (minute hour day-of-month month day-of-week), UTC."},
            "timezone": {"const": "UTC"},
            "paused": {"type": "boolean"},
            "created_by": nullable({"type": "string"}),
            "created_at": TIME,
            "updated_at": TIME,
            "next_run_at": nullable({**TIME, "description": "null while paused."}),
            "last_run_at": nullable(TIME),
            "last_result": nullable(ref("RunResult")),
            "current_period": {"type": "string", "description": "The period just ended: what run_now enqueues."},
        }
    ),
    "ScheduleList": obj({"ok": {"const": True}, "now": TIME, "schedules": {"type": "array", "items": ref("Schedule")}}),
    "ScheduleReply": obj({"ok": {"const": True}, "schedule": ref("Schedule")}),
    "ScheduleDeleted": obj({"ok": {"const": True}, "deleted": JOB_ID}),
    "ScheduleRunReply": obj(
        {
            "ok": {"const": True},
            "schedule": ref("Schedule"),
            "run": obj(
                {
                    "period": {"type": "string"},
                    "claimed": {"type": "boolean", "description": "false: this period was already enqueued; result says when and what."},
                    "result": nullable(ref("RunResult")),
                }
            ),
        }
    ),
    **schedules.ACTIONS.schemas(),
    "KnownScopes": obj(
        {
            "ok": {"const": True},
            "scopes": {"type": "array", "items": obj({"scope_type": {"type": "string"}, "scope_key": {"type": "string"}})},
            "truncated": {"type": "boolean", "description": "More scopes match than were returned; narrow with q."},
            "periods": obj({"last_week": ISO_WEEK, "last_month": MONTH_KEY}),
        }
    ),
}

PATHS: dict[str, Any] = {
    "/api/admin/jobs": {
        "get": {
            "operationId": "listOrGetJobs",
            "summary": "A page of jobs with stats, or one job's detail when job_id is given",
            "parameters": [
                *jobs.LIST.document(),
                *jobs.DETAIL.document(),
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "schema": {"type": "string"},
                    "description": "A list's or a job detail's ETag from an earlier answer: 304 with no body while it is unchanged.",
                },
            ],
            "responses": {
                "200": {
                    "description": "A page (JobList), or a job's detail (JobDetailReply) when job_id is given. Both carry a strong "
                    "ETag over everything but the clock-driven queue/processing seconds (a search's list carries none).",
                    **json_content({"oneOf": [ref("JobList"), ref("JobDetailReply")]}),
                },
                "304": {"description": "The list page or job detail named by If-None-Match is unchanged; no body."},
                "404": error("No job with that id."),
                **READ_ERRORS,
            },
        },
        "post": {
            "operationId": "jobAction",
            "summary": "Trigger the worker, cancel, enqueue or retry a job, or cancel or retry many",
            "requestBody": {"required": True, **json_content(job_actions.ACTIONS.request_body())},
            "responses": {
                "200": {
                    "description": "Done: the jobs handed to the worker, the canceled job, or the existing active job an enqueue matched.",
                    **json_content({"oneOf": [ref("TriggerReply"), ref("JobReply"), ref("EnqueueReply")]}),
                },
                "201": {"description": "A new job was queued.", **json_content(ref("EnqueueReply"))},
                "404": error("No job with that id."),
                "409": error("The job already finished; the message names its status."),
                **WRITE_ERRORS,
            },
        },
    },
    "/api/exec/worker/run": {
        "post": {
            "operationId": "runWorker",
            "summary": "Run one worker pass now (the path the old cron called)",
            "description": "Send Content-Type: application/json and an empty object (or no body): a state change, so CSRF rules apply.",
            "requestBody": {"required": True, **json_content({"type": "object", "maxProperties": 0})},
            "responses": {"200": {"description": "What the pass did.", **json_content(ref("WorkerRunReply"))}, **WRITE_ERRORS},
        },
    },
    "/api/admin/schedules": {
        "get": {
            "operationId": "listSchedules",
            "summary": "Every recurring report rule with its next run, last run and what that run enqueued",
            "responses": {"200": {"description": "The rules, by name.", **json_content(ref("ScheduleList"))}, **READ_ERRORS},
        },
        "post": {
            "operationId": "scheduleAction",
            "summary": "Create, update, pause, resume, delete or run a rule now",
            "requestBody": {"required": True, **json_content(schedules.ACTIONS.request_body())},
            "responses": {
                "200": {
                    "description": "Updated, paused, resumed, deleted, or run (run_now).",
                    **json_content({"oneOf": [ref("ScheduleReply"), ref("ScheduleDeleted"), ref("ScheduleRunReply")]}),
                },
                "201": {"description": "The rule was created.", **json_content(ref("ScheduleReply"))},
                "404": error("No schedule with that id."),
                "409": error("Another schedule has that name."),
                **WRITE_ERRORS,
            },
        },
    },
    "/api/admin/scopes": {
        "get": {
            "operationId": "knownScopes",
            "summary": "Known scopes from jobs and source rows (for suggestions), and the default periods",
            "parameters": scopes.QUERY.document(),
            "responses": {"200": {"description": "Distinct scopes, sorted.", **json_content(ref("KnownScopes"))}, **READ_ERRORS},
        },
    },
    "/api/admin/metrics": {
        "get": {
            "operationId": "metrics",
            "summary": "Series for the charts: outcomes, success rate, queue wait and processing p50/p95, generation time per model",
            "description": "Jobs are counted in the bucket they were created in (UTC), with their latest attempt's outcome and times "
            "(a retried job stays in its creation bucket). Counts, rates and averages are exact; percentiles are "
            "approximate to the bin precision (within 1/11). bucket=day needs range 7d or 30d.",
            "parameters": metrics.METRICS.document(),
            "responses": {"200": {"description": "One value per bucket in every series.", **json_content(ref("MetricsReply"))}, **READ_ERRORS, **METHOD_ERROR},
        },
    },
    "/api/admin/usage": {
        "get": {
            "operationId": "usage",
            "summary": "LLM usage and cost by model (jobs, success rate, generation time p50/p95, tokens, cost) and totals",
            "parameters": metrics.USAGE.document(),
            "responses": {
                "200": {"description": "Finished jobs created in the range, by model.", **json_content(ref("UsageReply"))},
                **READ_ERRORS,
                **METHOD_ERROR,
            },
        },
    },
    "/api/admin/health": {
        "get": {
            "operationId": "health",
            "summary": "Worker health: last and next run, failed runs, running jobs with lease age and stuck leases, alert delivery failures",
            "responses": {"200": {"description": "Worker health now.", **json_content(ref("HealthReply"))}, **READ_ERRORS, **METHOD_ERROR},
        },
    },
    "/api/admin/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document.", **json_content({"type": "object"})}},
        },
    },
}


def document() -> dict[str, Any]:
    from shared.api import model_calls_spec  # described beside its handler; it uses the helpers above

    paths, schemas = PATHS | model_calls_spec.PATHS, SCHEMAS | model_calls_spec.SCHEMAS
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AI Jobs Monitor admin API",
            "version": "1.0.0",
            "description": "Monitor and steer AI report generation jobs. Errors are {ok: false, error, code}. "
            "Times are ISO 8601 UTC ending in Z. Every reply has Cache-Control: no-store.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"platformPrincipal": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "ADMIN_API_TOKEN, when AUTH_MODE includes token."},
                "platformPrincipal": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "x-ms-client-principal",
                    "description": "Set by Static Web Apps / App Service authentication (AUTH_MODE=platform).",
                },
            },
        },
    }


# --- operations (issue 8 part A): search, history, retry, bulk, export, audit, who am I ------------

_CSV = {"text/csv": {"schema": {"type": "string", "description": "UTF-8 with a BOM; cells starting =, +, -, @, tab or CR get a leading '."}}}
_CSV_REPLY = {
    "description": "The CSV file (Content-Disposition: attachment). X-Export-Rows counts its rows; X-Export-Capped says "
    "whether the 100,000-row cap cut it short.",
    "content": _CSV,
}

SCHEMAS["Pagination"]["properties"]["capped"] = {"type": "boolean", "description": "Searches only: true when the total stopped counting at 1,000."}
SCHEMAS["JobEvent"] = obj(
    {
        "at": TIME,
        "from_status": nullable(ref("Status")),
        "to_status": ref("Status"),
        "actor": nullable({"type": "string"}),
        "detail": nullable({"type": "string"}),
        "stored": {"type": "boolean", "description": "false: read off the job row (creation and the current attempt), not the history table."},
    }
)
SCHEMAS["JobDetailReply"]["properties"]["history"] = {"type": "array", "items": ref("JobEvent"), "description": "Oldest first."}
SCHEMAS["JobDetailReply"]["required"].append("history")
SCHEMAS.update(
    {
        "BulkReply": obj(
            {
                "ok": {"const": True},
                "action": {"enum": ["bulk_cancel", "bulk_retry"]},
                "capped": {"type": "boolean"},
                "changed": {"type": "array", "items": JOB_ID},
                "skipped": {
                    "type": "array",
                    "items": obj({"job_id": JOB_ID, "code": {"enum": ["not_found", "not_eligible", "duplicate_active"]}, "reason": {"type": "string"}}),
                },
            }
        ),
        "BulkDryRunReply": obj(
            {
                "ok": {"const": True},
                "action": {"enum": ["bulk_cancel", "bulk_retry"]},
                "dry_run": {"const": True},
                "matched": COUNT,
                "capped": {"type": "boolean"},
            }
        ),
        "Me": obj(
            {
                "ok": {"const": True},
                "name": {"type": "string"},
                "mode": {"enum": ["platform", "token", "local"]},
                "can_write": {"type": "boolean", "description": "false for the viewer role: the page hides its action buttons."},
            }
        ),
        "AuditEntry": obj(
            {
                "audit_id": {"type": "integer", "minimum": 1},
                "at": TIME,
                "actor": {"type": "string"},
                "action": {"type": "string"},
                "job_id": nullable(JOB_ID),
                "detail": nullable({"type": "string"}),
            }
        ),
        "AuditPage": obj(
            {
                "ok": {"const": True},
                "entries": {"type": "array", "items": ref("AuditEntry")},
                "total": COUNT,
                "next_before": nullable({"type": "integer", "minimum": 1}),
            }
        ),
    }
)
_jobs = PATHS["/api/admin/jobs"]
_jobs["post"]["responses"]["200"]["content"][JSON]["schema"]["oneOf"] += [ref("BulkReply"), ref("BulkDryRunReply")]
_jobs["post"]["responses"]["409"] = error(
    "The job cannot take this action in its state (the message says why), or retrying it would duplicate an active job for the same scope and period."
)
PATHS.update(
    {
        "/api/admin/me": {
            "get": {
                "operationId": "me",
                "summary": "Who is signed in, and whether they may act",
                "responses": {"200": {"description": "The caller.", **json_content(ref("Me"))}, **READ_ERRORS, **METHOD_ERROR},
            }
        },
        "/api/admin/jobs/export": {
            "get": {
                "operationId": "exportJobs",
                "summary": "Every job matching the list's filter, as CSV (newest first, at most 100,000)",
                "parameters": filters.FILTER.document(),
                "responses": {"200": _CSV_REPLY, **READ_ERRORS, **METHOD_ERROR},
            }
        },
        "/api/admin/audit": {
            "get": {
                "operationId": "auditLog",
                "summary": "Who enqueued, canceled, retried, bulk-acted or triggered the worker, newest first",
                "parameters": audit.QUERY.document(),
                "responses": {"200": {"description": "A page of entries.", **json_content(ref("AuditPage"))}, **READ_ERRORS, **METHOD_ERROR},
            }
        },
        "/api/admin/audit/export": {
            "get": {
                "operationId": "exportAuditLog",
                "summary": "The audit log as CSV (newest first, at most 100,000 entries)",
                "responses": {"200": _CSV_REPLY, **READ_ERRORS, **METHOD_ERROR},
            }
        },
    }
)
