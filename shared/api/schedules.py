"""/api/admin/schedules: GET lists the recurring report rules; POST creates, edits, pauses,
resumes, deletes or runs one, through an action table as /api/admin/jobs does (shared/api/actions.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any, TypeVar

import azure.functions as func

from shared.api import rules
from shared.api.actions import ActionTable, AtLeastOne, Field, PostAction
from shared.api.endpoint import admin_endpoint
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z, utc_now
from shared.http.responses import ApiError, json_response
from shared.schedules.models import PERIOD_KINDS, TIMEZONE, RunResult, Schedule, period_label
from shared.schedules.service import NameTaken, RuleSpec, ScheduleNotFound, SchedulesService

T = TypeVar("T")
MAX_NAME = 100
RULE_FIELDS = (
    Field("name", rules.Text(MAX_NAME), required=True),
    Field("scope_type", rules.SCOPE_TYPE, required=True),
    Field("scope_key", rules.Nullable(rules.SCOPE_KEY, "null: every scope of the type with source rows in the period.")),
    Field("period_kind", rules.Choice(PERIOD_KINDS, "invalid_field", message="'period_kind' must be 'week' or 'month'"), required=True),
    Field("cron", rules.CRON, required=True),
    Field("timezone", rules.Const(TIMEZONE, "unsupported_timezone", "'timezone' must be 'UTC': schedules run in UTC")),
    Field("paused", rules.Boolean()),
)
SCHEDULE_ID = Field("schedule_id", rules.JOB_ID, required=True)


def service() -> SchedulesService:
    return get_context().services.schedules


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    now = utc_now()
    return json_response({"ok": True, "now": iso_z(now), "schedules": [schedule_json(item, now) for item in service().list_all()]})


def _changes(values: dict[str, Any]) -> dict[str, Any]:
    """The rule's fields from parsed values: timezone is checked, never stored (UTC is all there is)."""
    return {name: value for name, value in values.items() if name in RuleSpec.__dataclass_fields__}


def _create(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    spec = RuleSpec(**({"scope_key": None} | _changes(values)))  # no scope_key: every scope of the type
    return _reply(lambda: service().create(spec, identity.name), 201)


def _update(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    return _reply(lambda: service().update(values["schedule_id"], _changes(values), identity.name))


def _pause(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    return _reply(lambda: service().set_paused(values["schedule_id"], True, identity.name))


def _resume(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    return _reply(lambda: service().set_paused(values["schedule_id"], False, identity.name))


def _delete(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    schedule_id = values["schedule_id"]
    _found(lambda: service().delete(schedule_id, identity.name), schedule_id)
    return json_response({"ok": True, "deleted": schedule_id})


def _run_now(values: dict[str, Any], identity: Identity) -> func.HttpResponse:
    schedule_id = values["schedule_id"]
    outcome = _found(lambda: service().run_now(schedule_id, identity.name), schedule_id)
    return json_response(
        {
            "ok": True,
            "schedule": schedule_json(outcome.schedule, utc_now()),
            "run": {"period": outcome.period, "claimed": outcome.claimed, "result": result_json(outcome.result)},
        }
    )


_OPTIONAL_RULE_FIELDS = tuple(replace(item, required=False) for item in RULE_FIELDS)
ACTIONS = ActionTable(
    (
        PostAction("create", "CreateSchedule", _create, fields=RULE_FIELDS, list_missing=True),
        PostAction(
            "update",
            "UpdateSchedule",
            _update,
            fields=(SCHEDULE_ID, *_OPTIONAL_RULE_FIELDS),
            # timezone alone is valid (UTC is all there is), but the message names what changes a rule
            joins=(
                AtLeastOne(
                    tuple(item.name for item in RULE_FIELDS),
                    f"update needs at least one of: {', '.join(sorted(item.name for item in RULE_FIELDS if item.name != 'timezone'))}",
                ),
            ),
        ),
        PostAction("pause", "PauseSchedule", _pause, fields=(SCHEDULE_ID,)),
        PostAction("resume", "ResumeSchedule", _resume, fields=(SCHEDULE_ID,)),
        PostAction("delete", "DeleteSchedule", _delete, fields=(SCHEDULE_ID,)),
        PostAction("run_now", "RunScheduleNow", _run_now, fields=(SCHEDULE_ID,)),
    )
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


handle = admin_endpoint(read=_read, write=ACTIONS.dispatch)
