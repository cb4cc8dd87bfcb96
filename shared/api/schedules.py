"""/api/admin/schedules: GET lists the recurring report rules; POST creates, edits, pauses,
resumes, deletes or runs one, in the POST-action style of /api/admin/jobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any, TypeVar

import azure.functions as func

from shared.api import fields as field_rules
from shared.api.endpoint import admin_endpoint
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z, utc_now
from shared.http.requests import valid_job_id
from shared.http.responses import ApiError, json_response
from shared.schedules.cron import InvalidCron, parse_cron
from shared.schedules.models import PERIOD_KINDS, TIMEZONE, RunResult, Schedule, period_label
from shared.schedules.service import NameTaken, RuleSpec, ScheduleNotFound, SchedulesService

T = TypeVar("T")
MAX_NAME = 100
RULE_FIELDS = {"name", "scope_type", "scope_key", "period_kind", "cron", "timezone", "paused"}
REQUIRED_ON_CREATE = ("name", "scope_type", "period_kind", "cron")
ACTION_FIELDS: dict[str, set[str]] = {
    "create": RULE_FIELDS,
    "update": RULE_FIELDS | {"schedule_id"},
    "pause": {"schedule_id"},
    "resume": {"schedule_id"},
    "delete": {"schedule_id"},
    "run_now": {"schedule_id"},
}


def service() -> SchedulesService:
    return get_context().services.schedules


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    now = utc_now()
    return json_response({"ok": True, "now": iso_z(now), "schedules": [schedule_json(item, now) for item in service().list_all()]})


def _action(body: dict[str, Any], identity: Identity) -> func.HttpResponse:
    action = field_rules.action(body, ACTION_FIELDS)
    if action == "create":
        missing = [name for name in REQUIRED_ON_CREATE if name not in body]
        if missing:
            raise ApiError(400, "missing_field", f"create needs: {', '.join(missing)}")
        spec = RuleSpec(**({"scope_key": None} | _rule_fields(body)))  # no scope_key: every scope of the type
        return _reply(lambda: service().create(spec, identity.name), 201)
    schedule_id = valid_job_id(body.get("schedule_id"), "schedule_id")
    if action == "update":
        changes = _rule_fields(body)
        if not changes and "timezone" not in body:  # timezone alone is valid: UTC is all there is
            raise ApiError(400, "missing_field", f"update needs at least one of: {', '.join(sorted(RULE_FIELDS - {'timezone'}))}")
        return _reply(lambda: service().update(schedule_id, changes))
    if action in ("pause", "resume"):
        return _reply(lambda: service().set_paused(schedule_id, action == "pause"))
    if action == "delete":
        _found(lambda: service().delete(schedule_id), schedule_id)
        return json_response({"ok": True, "deleted": schedule_id})
    outcome = _found(lambda: service().run_now(schedule_id, identity.name), schedule_id)
    return json_response(
        {
            "ok": True,
            "schedule": schedule_json(outcome.schedule, utc_now()),
            "run": {"period": outcome.period, "claimed": outcome.claimed, "result": result_json(outcome.result)},
        }
    )


def _reply(work: Callable[[], Schedule], status: int = 200) -> func.HttpResponse:
    try:
        schedule = work()
    except ScheduleNotFound as err:
        raise ApiError(404, "schedule_not_found", f"No schedule with id {err}") from None
    except NameTaken as err:
        raise ApiError(409, "name_taken", f"A schedule named {str(err)!r} already exists") from None
    return json_response({"ok": True, "schedule": schedule_json(schedule, utc_now())}, status)


def _found(work: Callable[[], T], schedule_id: str) -> T:
    try:
        return work()
    except ScheduleNotFound:
        raise ApiError(404, "schedule_not_found", f"No schedule with id {schedule_id}") from None


def _rule_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The rule fields present in the body, validated; 400 names the first bad one."""
    fields: dict[str, Any] = {}
    if "name" in body:
        fields["name"] = field_rules.text(body["name"], "name", MAX_NAME)
    if "scope_type" in body:
        fields["scope_type"] = field_rules.scope_type(body["scope_type"])
    if "scope_key" in body:
        # null: every scope of the type that has source rows in the period
        fields["scope_key"] = None if body["scope_key"] is None else field_rules.text(body["scope_key"], "scope_key", field_rules.MAX_SCOPE_KEY)
    if "period_kind" in body:
        if body["period_kind"] not in PERIOD_KINDS:
            raise ApiError(400, "invalid_field", "'period_kind' must be 'week' or 'month'")
        fields["period_kind"] = body["period_kind"]
    if "cron" in body:
        try:
            fields["cron"] = parse_cron(body["cron"])
        except InvalidCron as err:
            raise ApiError(400, "invalid_cron", str(err)) from None
    if "timezone" in body and body["timezone"] != TIMEZONE:
        raise ApiError(400, "unsupported_timezone", "'timezone' must be 'UTC': schedules run in UTC")
    if "paused" in body:
        if not isinstance(body["paused"], bool):
            raise ApiError(400, "invalid_field", "'paused' must be true or false")
        fields["paused"] = body["paused"]
    return fields


def schedule_json(schedule: Schedule, now: datetime) -> dict[str, Any]:
    return {
        "schedule_id": schedule.schedule_id,
        "name": schedule.name,
        "scope_type": schedule.scope_type,
        "scope_key": schedule.scope_key,
        "period_kind": schedule.period_kind,
        "cron": schedule.cron,
        "timezone": schedule.timezone,
        "paused": schedule.paused,
        "created_by": schedule.created_by,
        "created_at": iso_z(schedule.created_at),
        "updated_at": iso_z(schedule.updated_at),
        "next_run_at": iso_z(schedule.next_run_at),
        "last_run_at": iso_z(schedule.last_run_at),
        "last_result": result_json(schedule.last_result),
        "current_period": period_label(schedule.period_kind, now),
    }


def result_json(result: RunResult | None) -> dict[str, Any] | None:
    return asdict(result) if result else None


handle = admin_endpoint(read=_read, write=_action)
