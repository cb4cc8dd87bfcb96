"""/api/admin/schedules and /api/admin/scopes through the real function objects, on a real SQLite file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from azure.functions.timer import TimerRequest

from function_app import app
from local_host.functions import load_functions
from shared.app_context import get_context
from shared.clock import utc_now
from shared.jobs.periods import last_month, last_week
from shared.jobs.repository import JobsRepository
from tests.api.conftest import AUTH, Reply, call, principal
from tests.api.openapi_check import assert_matches_document
from tests.schedules.conftest import add_source_rows
from tests.support.jobs import add_job

WEEKLY = {"action": "create", "name": "weekly network", "scope_type": "network", "scope_key": None, "period_kind": "week", "cron": "0 6 * * 1"}
MONTHLY_X = {"action": "create", "name": "monthly X", "scope_type": "network", "scope_key": "NET-X", "period_kind": "month", "cron": "0 6 1 * *"}


def schedules(method: str = "GET", body: dict[str, Any] | bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
    reply = call("admin_schedules", method, headers=headers if headers is not None else AUTH, body=body, route="admin/schedules")
    if reply.status < 500 and reply.body and reply.body.get("ok"):
        assert_matches_document("/api/admin/schedules", method, reply.status, reply.body)
    return reply


def scopes(params: dict[str, str] | None = None) -> Reply:
    return call("admin_scopes", params=params, headers=AUTH, route="admin/scopes")


def listed() -> list[dict[str, Any]]:
    return schedules().body["schedules"]


def test_create_then_list_shows_next_run_and_current_period(app_db_path: Path) -> None:
    created = schedules("POST", WEEKLY)
    assert created.status == 201
    rule = created.body["schedule"]
    assert rule["name"] == "weekly network" and rule["scope_key"] is None and rule["timezone"] == "UTC"
    assert rule["created_by"] == "api-token" and rule["last_run_at"] is None and rule["last_result"] is None
    assert rule["next_run_at"].endswith("06:00:00.000Z")
    assert rule["current_period"] == last_week(utc_now().date())
    assert listed() == [rule]


def test_a_rule_without_scope_key_covers_every_scope_of_its_type(app_db_path: Path) -> None:
    created = schedules("POST", {key: value for key, value in WEEKLY.items() if key != "scope_key"})
    assert created.status == 201 and created.body["schedule"]["scope_key"] is None


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ({**WEEKLY, "cron": "0 6 * * funday"}, "invalid_cron", "is not a valid cron expression"),
        ({**WEEKLY, "cron": "0 0 6 * * 1"}, "invalid_cron", "must have 5 fields"),
        ({**WEEKLY, "cron": "0 0 30 2 *"}, "invalid_cron", "never matches"),
        ({**WEEKLY, "color": "red"}, "unknown_field", "color"),
        ({**WEEKLY, "schedule_id": "abc"}, "unknown_field", "schedule_id"),
        ({"action": "explode"}, "unknown_action", "create"),
        ({k: v for k, v in WEEKLY.items() if k != "cron"}, "missing_field", "cron"),
        ({**WEEKLY, "period_kind": "day"}, "invalid_field", "period_kind"),
        ({**WEEKLY, "timezone": "Europe/Berlin"}, "unsupported_timezone", "UTC"),
        ({**WEEKLY, "scope_type": "9lives"}, "invalid_field", "scope_type"),
        ({**WEEKLY, "scope_key": ""}, "invalid_field", "scope_key"),
        ({**WEEKLY, "name": "x" * 101}, "invalid_field", "name"),
        ({**WEEKLY, "paused": "yes"}, "invalid_field", "paused"),
        ({"action": "pause", "schedule_id": "../etc"}, "invalid_job_id", "schedule_id"),
        ({"action": "update", "schedule_id": "abc"}, "missing_field", "at least one"),
    ],
)
def test_bad_input_is_a_clear_400_and_changes_nothing(app_db_path: Path, body: dict[str, Any], code: str, words: str) -> None:
    reply = schedules("POST", body)
    assert reply.status == 400 and reply.body["ok"] is False and reply.body["code"] == code
    assert words in reply.body["error"]
    assert listed() == []


def test_viewer_reads_but_may_not_change_and_strangers_get_401(app_db_path: Path) -> None:
    schedules("POST", WEEKLY)
    viewer = principal(["viewer"])
    assert schedules(headers=viewer).status == 200
    refused = schedules("POST", MONTHLY_X, headers=viewer)
    assert refused.status == 403 and refused.body["code"] == "forbidden"
    assert schedules(headers={}).status == 401
    assert call("admin_scopes", route="admin/scopes").status == 401
    assert [rule["name"] for rule in listed()] == ["weekly network"]


def test_cross_origin_wrong_method_and_content_type_are_refused(app_db_path: Path) -> None:
    assert schedules("POST", WEEKLY, headers={**AUTH, "Origin": "https://evil.example"}).body["code"] == "cross_origin"
    wrong = schedules("DELETE", headers=AUTH)
    assert wrong.status == 405 and wrong.headers["Allow"] == "GET, POST"
    raw = schedules("POST", b'{"action":"create"}', headers={**AUTH, "Content-Type": "text/plain"})
    assert raw.status == 415
    assert listed() == []


def test_update_pause_resume_and_delete(app_db_path: Path) -> None:
    rule = schedules("POST", WEEKLY).body["schedule"]
    schedules("POST", MONTHLY_X)
    rule_id = rule["schedule_id"]

    renamed = schedules("POST", {"action": "update", "schedule_id": rule_id, "name": "every Monday", "cron": "30 7 * * 1"})
    assert renamed.status == 200
    assert renamed.body["schedule"]["name"] == "every Monday" and renamed.body["schedule"]["next_run_at"].endswith("07:30:00.000Z")
    taken = schedules("POST", {"action": "update", "schedule_id": rule_id, "name": "monthly X"})
    assert taken.status == 409 and taken.body["code"] == "name_taken"

    paused = schedules("POST", {"action": "pause", "schedule_id": rule_id}).body["schedule"]
    assert paused["paused"] is True and paused["next_run_at"] is None
    resumed = schedules("POST", {"action": "resume", "schedule_id": rule_id}).body["schedule"]
    assert resumed["paused"] is False and resumed["next_run_at"] is not None

    deleted = schedules("POST", {"action": "delete", "schedule_id": rule_id})
    assert deleted.status == 200 and deleted.body == {"ok": True, "deleted": rule_id}
    assert [item["name"] for item in listed()] == ["monthly X"]
    gone = schedules("POST", {"action": "run_now", "schedule_id": rule_id})
    assert gone.status == 404 and gone.body["code"] == "schedule_not_found"


def test_run_now_queues_the_month_just_ended_once(app_db_path: Path, repo: JobsRepository) -> None:
    rule_id = schedules("POST", MONTHLY_X).body["schedule"]["schedule_id"]
    month = last_month(utc_now().date())

    first = schedules("POST", {"action": "run_now", "schedule_id": rule_id})
    assert first.status == 200 and first.body["run"]["claimed"] is True and first.body["run"]["period"] == month
    [job] = first.body["run"]["result"]["jobs"]
    assert job["scope_key"] == "NET-X" and job["created"] is True
    assert first.body["schedule"]["last_result"]["created"] == 1

    again = schedules("POST", {"action": "run_now", "schedule_id": rule_id})
    assert again.body["run"]["claimed"] is False and again.body["run"]["result"]["jobs"][0]["job_id"] == job["job_id"]
    queued = repo.get(job["job_id"])
    assert queued is not None and queued.month_key == month and queued.status == "queued"
    assert repo.counts()["total"] == 1


def test_the_worker_timer_runs_a_rule_that_fell_due_while_the_app_was_down(app_db_path: Path, repo: JobsRepository) -> None:
    context = get_context()
    week = last_week(utc_now().date())
    add_source_rows(context.db, "network", ["NET-1", "NET-2"], utc_now().date() - timedelta(days=7 + utc_now().weekday()))
    rule_id = schedules("POST", WEEKLY).body["schedule"]["schedule_id"]
    # Down for three weeks: its next run is long past.
    context.db.run(lambda tx: tx.run_script(f"UPDATE exec_report_schedules SET next_run_at = '2000-01-03 06:00:00.000' WHERE schedule_id = '{rule_id}'"))

    timer = load_functions(app).call("worker_timer")
    timer(TimerRequest(past_due=True))
    timer(TimerRequest())

    [rule] = listed()
    result = rule["last_result"]
    assert (result["period"], result["trigger"], result["created"], result["scopes"]) == (week, "timer", 2, 2)
    assert rule["next_run_at"] > rule["last_run_at"]
    jobs = [repo.get(job["job_id"]) for job in result["jobs"]]
    assert sorted(job.scope_key for job in jobs if job) == ["NET-1", "NET-2"]
    assert all(job and job.iso_week == week and job.created_by == "schedule:weekly network" for job in jobs)
    assert repo.counts()["total"] == 2  # the second tick queued nothing more


def test_scopes_lists_known_pairs_and_the_default_periods(app_db_path: Path, repo: JobsRepository) -> None:
    add_job(repo.db, "NET-9", iso_week="2026-W01", created_by="ada")
    add_source_rows(get_context().db, "network", ["NET-1", "NET-9"], utc_now().date(), days=2)
    add_source_rows(get_context().db, "store", ["S_1", "S%2"], utc_now().date(), days=1)

    every = scopes()
    assert every.status == 200
    assert_matches_document("/api/admin/scopes", "GET", 200, every.body)
    assert every.body["scopes"] == [
        {"scope_type": "network", "scope_key": "NET-1"},
        {"scope_type": "network", "scope_key": "NET-9"},
        {"scope_type": "store", "scope_key": "S%2"},
        {"scope_type": "store", "scope_key": "S_1"},
    ]
    assert every.body["truncated"] is False
    today = utc_now().date()
    assert every.body["periods"] == {"last_week": last_week(today), "last_month": last_month(today)}

    assert [s["scope_key"] for s in scopes({"scope_type": "store", "q": "S_"}).body["scopes"]] == ["S_1"]  # _ is literal
    first = scopes({"limit": "1"}).body
    assert first["scopes"] == [{"scope_type": "network", "scope_key": "NET-1"}] and first["truncated"] is True
    bad = scopes({"scope_type": "no spaces"})
    assert bad.status == 400 and bad.body["code"] == "invalid_parameter"
    assert scopes({"limit": "0"}).status == 400


def test_names_clash_regardless_of_case_as_on_sql_server(app_db_path: Path) -> None:
    schedules("POST", WEEKLY)
    clash = schedules("POST", {**WEEKLY, "name": "Weekly NETWORK"})
    assert clash.status == 409 and clash.body["code"] == "name_taken"
    assert [rule["name"] for rule in listed()] == ["weekly network"]


def test_lengths_count_emoji_twice_as_nvarchar_does(app_db_path: Path) -> None:
    too_long = schedules("POST", {**WEEKLY, "name": "\N{ROCKET}" * 51})  # 51 characters, 102 UTF-16 units: NVARCHAR(100) would refuse it
    assert too_long.status == 400 and "an emoji counts as two" in too_long.body["error"]
    assert schedules("POST", {**WEEKLY, "name": "\N{ROCKET}" * 50}).status == 201
    assert listed()[0]["name"] == "\N{ROCKET}" * 50


def test_a_scope_prefix_with_a_bracket_is_matched_literally(app_db_path: Path, repo: JobsRepository) -> None:
    add_source_rows(get_context().db, "store", ["S[1]-north", "Sa1-south"], utc_now().date(), days=1)
    found = scopes({"scope_type": "store", "q": "S[1"})  # `[1` would be a character class in T-SQL's LIKE
    assert found.status == 200 and found.body["scopes"] == [{"scope_type": "store", "scope_key": "S[1]-north"}]
