"""Each due period is queued exactly once while several evaluators race on one SQLite file:
threads in one process, and separate processes (as several Function App instances would be)."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from shared.db import Database
from shared.db.sqlite import SqliteConnector
from shared.schedules.service import SchedulesService
from tests.conftest import sqlite_database
from tests.schedules.conftest import TUESDAY, WEEKLY, Clock, add_source_rows, jobs_of

DUE = datetime(2026, 4, 1, 6, 5, tzinfo=UTC)  # a Wednesday that is also the first of a month
SCOPES = [f"NET-{index:02d}" for index in range(12)]
RACERS = 8


def prepare(path: Path) -> tuple[list[str], str]:
    """Three rules, all due at DUE; the ids of all, and of the monthly one that run-now also hits."""
    db = sqlite_database(path)
    add_source_rows(db, "network", SCOPES, date(2026, 3, 23))  # 2026-W13
    add_source_rows(db, "store", ["S-1", "S-2"], date(2026, 3, 23))
    service = SchedulesService(db, 3, Clock(TUESDAY))
    rules = [
        service.create(WEEKLY, "ada"),
        service.create(replace(WEEKLY, name="stores daily", scope_type="store", cron="0 5 * * *"), "ada"),
        service.create(replace(WEEKLY, name="monthly X", scope_key="NET-X", period_kind="month", cron="0 6 1 * *"), "ada"),
    ]
    db.close()
    return [rule.schedule_id for rule in rules], rules[2].schedule_id


def evaluate(path: str, start: threading.Barrier | None, monthly_id: str, run_now: bool) -> int:
    """One evaluator with its own connection: a timer tick, or a person pressing Run now."""
    db = Database(SqliteConnector(path))
    try:
        # Chunks of 5 scopes: the 12-scope rule fans out in three transactions, so racers also
        # resume one another's runs part-way.
        service = SchedulesService(db, 3, Clock(DUE), fanout_chunk=5)
        if start is not None:
            start.wait(timeout=30)
        if run_now:
            return int(service.run_now(monthly_id, "ada").claimed)
        return len(service.run_due(DUE))
    finally:
        db.close()


def assert_each_period_queued_once(path: Path, runs: int) -> None:
    db = sqlite_database(path)
    jobs = jobs_of(db)
    keys = [(job["scope_type"], job["scope_key"], job["iso_week"] or job["month_key"]) for job in jobs]
    assert len(keys) == len(set(keys)), "a period was queued twice"
    assert sorted(keys) == sorted(
        [("network", key, "2026-W13") for key in SCOPES] + [("store", "S-1", "2026-W13"), ("store", "S-2", "2026-W13"), ("network", "NET-X", "2026-03")]
    )
    claims = db.run(lambda tx: tx.fetch_all("list_schedules"), write=False)
    assert all(row["next_run_at"] > "2026-04-01 06:05" for row in claims)
    assert runs == 3, "each rule's period was claimed by exactly one evaluator"
    db.close()


def test_threads_racing_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    _, monthly_id = prepare(path)
    start = threading.Barrier(RACERS)
    counts: list[int] = []
    lock = threading.Lock()

    def racer(index: int) -> None:
        claimed = evaluate(str(path), start, monthly_id, run_now=index % 4 == 3)
        with lock:
            counts.append(claimed)

    threads = [threading.Thread(target=racer, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(counts) == RACERS
    assert_each_period_queued_once(path, sum(counts))


def _process_main(path: str, start: threading.Barrier, monthly_id: str, run_now: bool, results: multiprocessing.Queue) -> None:
    results.put(evaluate(path, start, monthly_id, run_now))


def test_processes_racing_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    _, monthly_id = prepare(path)
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(RACERS)
    results: multiprocessing.Queue = spawn.Queue()
    processes = [spawn.Process(target=_process_main, args=(str(path), start, monthly_id, index % 4 == 3, results)) for index in range(RACERS)]
    for process in processes:
        process.start()
    counts = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    assert_each_period_queued_once(path, sum(counts))
