"""Rules on a real database: due runs, catch-up after downtime, pause, run now, all-scopes rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from shared.db import Database
from shared.schedules.service import NameTaken, ScheduleNotFound, SchedulesService
from tests.schedules.conftest import TUESDAY, WEEKLY, Clock, add_source_rows, jobs_of

NEXT_MONDAY_6 = datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
SCOPE_X = replace(WEEKLY, name="monthly X", scope_key="NET-X", period_kind="month", cron="0 6 1 * *")


def test_a_new_rule_is_next_due_at_its_next_occurrence(service: SchedulesService) -> None:
    rule = service.create(WEEKLY, "ada")
    assert rule.next_run_at == NEXT_MONDAY_6 and rule.last_run_at is None and rule.created_by == "ada"
    assert service.run_due(TUESDAY + timedelta(days=5)) == []  # Sunday: not yet


def test_a_due_weekly_rule_queues_the_week_just_ended_for_every_scope_with_data(service: SchedulesService, db: Database) -> None:
    add_source_rows(db, "network", ["NET-1", "NET-2"], date(2026, 3, 9))  # 2026-W11
    add_source_rows(db, "network", ["NET-OLD"], date(2026, 2, 2))  # data only in an older week
    add_source_rows(db, "store", ["S-1"], date(2026, 3, 9))  # another scope type
    service.create(WEEKLY, "ada")

    [result] = service.run_due(NEXT_MONDAY_6 + timedelta(minutes=1))

    assert (result.period, result.trigger, result.scopes, result.created, result.existing) == ("2026-W11", "timer", 2, 2, 0)
    jobs = jobs_of(db)
    assert sorted((job["scope_key"], job["iso_week"], job["status"]) for job in jobs) == [("NET-1", "2026-W11", "queued"), ("NET-2", "2026-W11", "queued")]
    assert {job["created_by"] for job in jobs} == {"schedule:weekly network"}
    [rule] = service.list_all()
    assert rule.last_result == result and [job.scope_key for job in result.jobs] == ["NET-1", "NET-2"]
    assert rule.next_run_at == NEXT_MONDAY_6 + timedelta(days=7)
    assert service.run_due(NEXT_MONDAY_6 + timedelta(minutes=3)) == []  # the next tick: nothing more
    assert len(jobs_of(db)) == 2


def test_a_rule_for_one_scope_on_the_first_queues_the_month_just_ended(service: SchedulesService, db: Database) -> None:
    service.create(SCOPE_X, "ada")
    [result] = service.run_due(datetime(2026, 4, 1, 6, 1, tzinfo=UTC))
    assert (result.period, result.scopes, result.created) == ("2026-03", 1, 1)
    [job] = jobs_of(db)
    assert (job["scope_key"], job["month_key"], job["iso_week"]) == ("NET-X", "2026-03", None)


def test_downtime_is_caught_up_once_for_the_latest_missed_period(service: SchedulesService, db: Database) -> None:
    add_source_rows(db, "network", ["NET-1"], date(2026, 3, 2), days=35)
    service.create(WEEKLY, "ada")
    # Down from before the first Monday until a Wednesday three Mondays later: one run, not three.
    back_up = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    results = service.run_due(back_up)
    assert [(result.period, result.created) for result in results] == [("2026-W13", 1)]
    assert [job["iso_week"] for job in jobs_of(db)] == ["2026-W13"]
    [rule] = service.list_all()
    assert rule.next_run_at == datetime(2026, 4, 6, 6, 0, tzinfo=UTC)


def test_paused_rules_do_not_run_and_resume_from_their_next_occurrence(service: SchedulesService, clock: Clock, db: Database) -> None:
    rule = service.create(SCOPE_X, "ada")
    paused = service.set_paused(rule.schedule_id, True)
    assert paused.paused and paused.next_run_at is None
    assert service.run_due(datetime(2026, 5, 2, tzinfo=UTC)) == []
    clock.now = datetime(2026, 5, 2, tzinfo=UTC)
    resumed = service.set_paused(rule.schedule_id, False)
    # The months that fell due while paused are skipped: the next run is the next first of the month.
    assert not resumed.paused and resumed.next_run_at == datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
    assert jobs_of(db) == []


def test_run_now_queues_the_current_period_once_and_the_timer_does_not_repeat_it(service: SchedulesService, db: Database, clock: Clock) -> None:
    rule = service.create(SCOPE_X, "ada")
    clock.now = datetime(2026, 4, 1, 5, 0, tzinfo=UTC)  # an hour before the rule's own run for March
    first = service.run_now(rule.schedule_id, "ada")
    assert first.claimed and first.period == "2026-03" and first.result is not None and first.result.created == 1
    assert first.result.trigger == "run_now" and first.schedule.last_run_at == clock.now

    again = service.run_now(rule.schedule_id, "bob")
    assert not again.claimed and again.result == first.result  # says what the earlier run did
    assert service.run_due(datetime(2026, 4, 1, 6, 1, tzinfo=UTC)) == []
    [job] = jobs_of(db)
    assert job["created_by"] == "ada (run now: monthly X)"
    assert service.list_all()[0].next_run_at == datetime(2026, 5, 1, 6, 0, tzinfo=UTC)


def test_run_now_matches_a_job_that_is_already_queued(service: SchedulesService, db: Database) -> None:
    from shared.jobs.repository import JobsRepository

    existing, _ = JobsRepository(db).enqueue("network", "NET-X", None, "2026-02", "bob", 3, TUESDAY)
    rule = service.create(SCOPE_X, "ada")
    outcome = service.run_now(rule.schedule_id, "ada")
    assert outcome.claimed and outcome.result is not None
    assert (outcome.result.created, outcome.result.existing) == (0, 1)
    assert outcome.result.jobs[0].job_id == existing.job_id and not outcome.result.jobs[0].created
    assert len(jobs_of(db)) == 1


def test_a_failing_rule_records_its_error_and_its_run_resumes_on_the_next_tick(service: SchedulesService, db: Database) -> None:
    service.create(WEEKLY, "ada")
    due = NEXT_MONDAY_6 + timedelta(minutes=1)
    if db.dialect != "sqlite":
        pytest.skip("renaming the source table is written for SQLite")
    db.run(lambda tx: tx.run_script("ALTER TABLE exec_report_source_rows RENAME TO source_rows_away"))
    assert service.run_due(due) == []
    [failed] = service.list_all()
    assert failed.last_result is not None and "no such table" in (failed.last_result.error or "")
    assert jobs_of(db) == []

    db.run(lambda tx: tx.run_script("ALTER TABLE source_rows_away RENAME TO exec_report_source_rows"))
    add_source_rows(db, "network", ["NET-1"], date(2026, 3, 9))
    # The period stays claimed by the failed run, which the next tick finishes: long before the
    # rule's next occurrence, and without a second claim.
    [result] = service.run_due(due + timedelta(minutes=2))
    assert result.period == "2026-W11" and result.created == 1 and result.error is None and not result.in_progress
    assert service.run_due(due + timedelta(minutes=4)) == []
    assert [job["scope_key"] for job in jobs_of(db)] == ["NET-1"]


def test_edits_keep_names_unique_and_recompute_the_next_run(service: SchedulesService, clock: Clock) -> None:
    rule = service.create(WEEKLY, "ada")
    other = service.create(SCOPE_X, "ada")
    with pytest.raises(NameTaken):
        service.create(WEEKLY, "bob")
    with pytest.raises(NameTaken):
        service.update(other.schedule_id, {"name": WEEKLY.name})
    renamed = service.update(rule.schedule_id, {"name": "renamed"})
    assert renamed.name == "renamed" and renamed.next_run_at == rule.next_run_at
    daily = service.update(rule.schedule_id, {"cron": "30 7 * * *"})
    assert daily.next_run_at == datetime(2026, 3, 11, 7, 30, tzinfo=UTC)
    service.delete(rule.schedule_id)
    assert [item.name for item in service.list_all()] == ["monthly X"]
    with pytest.raises(ScheduleNotFound):
        service.delete(rule.schedule_id)
    with pytest.raises(ScheduleNotFound):
        service.run_now(rule.schedule_id, "ada")
