"""An all-scopes rule queues its scopes in chunks, one transaction each, and a run cut off part-way
(a database fault, an instance killed) is finished by the next timer pass: every scope exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from shared.schedules.service import FANOUT_CHUNK, SchedulesService
from tests.conftest import sqlite_database
from tests.schedules.conftest import WEEKLY, Clock, add_source_rows

DUE = datetime(2026, 3, 16, 6, 1, tzinfo=UTC)  # just after the weekly rule's Monday 06:00
WEEK = "2026-W11"
FIRST_DAY = date(2026, 3, 9)


def scopes(count: int) -> list[str]:
    return [f"NET-{index:04d}" for index in range(count)]


def queued_scopes(path: Path) -> list[str]:
    """Read with a connection of its own, as another instance would see the file."""
    with sqlite3.connect(path) as connection:
        return [key for (key,) in connection.execute("SELECT scope_key FROM exec_report_jobs WHERE iso_week = ?", (WEEK,))]


def assert_each_scope_queued_once(path: Path, expected: list[str]) -> None:
    assert sorted(queued_scopes(path)) == sorted(expected), "a scope was queued twice or not at all"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "jobs.sqlite3"


@pytest.fixture
def big_rule(db_path: Path) -> SchedulesService:
    db = sqlite_database(db_path)
    add_source_rows(db, "network", scopes(2 * FANOUT_CHUNK + 30), FIRST_DAY, days=1)
    service = SchedulesService(db, 3, Clock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC)))
    service.create(WEEKLY, "ada")
    return service


def test_run_now_reports_the_whole_fan_out(big_rule: SchedulesService, db_path: Path) -> None:
    big_rule.clock = Clock(datetime(2026, 3, 17, 9, 30, tzinfo=UTC))  # run now in W12: it queues W11
    [rule] = big_rule.list_all()
    reply = big_rule.run_now(rule.schedule_id, "ada")
    assert reply.claimed and reply.result is not None
    total = 2 * FANOUT_CHUNK + 30
    assert (reply.result.scopes, reply.result.created, reply.result.existing, reply.result.in_progress) == (total, total, 0, False)
    assert [job.scope_key for job in reply.result.jobs] == scopes(20)  # the first ones, in key order
    assert_each_scope_queued_once(db_path, scopes(total))
    again = big_rule.run_now(rule.schedule_id, "bob")
    assert not again.claimed and again.result is not None and again.result.created == total


def test_a_fault_mid_fan_out_keeps_the_committed_chunks_and_the_next_tick_finishes(big_rule: SchedulesService, db_path: Path) -> None:
    db = big_rule.db
    # A real failure inside the second chunk: the 70th job cannot be written.
    db.run(
        lambda tx: tx.run_script(
            "CREATE TRIGGER fail_seventieth BEFORE INSERT ON exec_report_jobs "
            "WHEN (SELECT COUNT(*) FROM exec_report_jobs) >= 69 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    )
    assert big_rule.run_due(DUE) == []
    [rule] = big_rule.list_all()
    assert rule.last_result is not None and "disk I/O error" in (rule.last_result.error or "")
    assert len(queued_scopes(db_path)) == FANOUT_CHUNK, "the first chunk committed, the failed one left nothing"

    db.run(lambda tx: tx.run_script("DROP TRIGGER fail_seventieth"))
    [finished] = big_rule.run_due(DUE.replace(minute=3))
    total = 2 * FANOUT_CHUNK + 30
    assert (finished.period, finished.created, finished.scopes, finished.in_progress) == (WEEK, total, total, False)
    assert_each_scope_queued_once(db_path, scopes(total))
    [rule] = big_rule.list_all()
    assert rule.last_result == finished
    assert big_rule.run_due(DUE.replace(minute=5)) == []


FAN_OUT_SCRIPT = """
import sys
from datetime import UTC, datetime
from shared.db import Database
from shared.db.sqlite import SqliteConnector
from shared.schedules.service import SchedulesService

db = Database(SqliteConnector(sys.argv[1]))
SchedulesService(db, 3, fanout_chunk=10).run_due(datetime(2026, 3, 16, 6, 1, tzinfo=UTC))
"""


def test_an_instance_killed_mid_fan_out_loses_and_repeats_no_scope(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    db = sqlite_database(path)
    many = scopes(4000)
    add_source_rows(db, "network", many, FIRST_DAY, days=1)
    SchedulesService(db, 3, Clock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC))).create(WEEKLY, "ada")

    repo_root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, "-c", FAN_OUT_SCRIPT, str(path)], cwd=repo_root, env={**os.environ, "PYTHONPATH": str(repo_root)})
    try:
        deadline = time.monotonic() + 60
        while len(queued_scopes(path)) < 200 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the fan-out finished before it could be killed; give it more scopes"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    cut_off = len(queued_scopes(path))
    assert 200 <= cut_off < len(many)

    [finished] = SchedulesService(db, 3, fanout_chunk=10).run_due(DUE)
    assert (finished.created, finished.existing, finished.in_progress) == (len(many), 0, False)
    assert_each_scope_queued_once(path, many)
    db.close()
