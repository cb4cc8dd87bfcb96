"""The connection pool on a real SQLite database: bounded, shared by every thread, recycled, checked."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from shared.db import Database, DatabaseUnavailable
from shared.db.migrate import migrate
from shared.db.sqlite import SqliteConnector
from shared.jobs.actions import JobActions
from shared.jobs.repository import JobsRepository


def database(path: Path, **pool: float) -> Database:
    db = Database(SqliteConnector(str(path)), **pool)  # type: ignore[arg-type]
    migrate(db)
    return db


def test_threads_that_come_and_go_share_a_bounded_set_of_connections(tmp_path: Path) -> None:
    db = database(tmp_path / "jobs.sqlite3", pool_size=4)
    repo = JobsRepository(db)

    def work() -> None:
        for _ in range(20):
            repo.counts()

    for _ in range(10):  # 200 short-lived threads, as a host starts one per request
        threads = [threading.Thread(target=work) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    stats = db.pool.stats()
    assert stats.open <= 4 and stats.in_use == 0 and stats.opened_total <= 4
    db.close()
    assert db.pool.stats().open == 0


def test_when_every_connection_is_busy_a_caller_waits_then_gets_unavailable(tmp_path: Path) -> None:
    db = database(tmp_path / "jobs.sqlite3", pool_size=1, pool_wait_seconds=0.2)
    held = db.pool.checkout()
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            JobsRepository(db).counts()
        assert raised.value.reason == "too busy"
    finally:
        db.pool.checkin(held)
    assert JobsRepository(db).counts()["total"] == 0  # given back: usable again


def test_connections_older_than_the_maximum_age_are_closed_not_reused(tmp_path: Path) -> None:
    db = database(tmp_path / "jobs.sqlite3", pool_max_age_seconds=0)
    repo = JobsRepository(db)
    for _ in range(5):
        repo.counts()
    stats = db.pool.stats()
    assert stats.open == 0 and stats.opened_total >= 5


def test_a_connection_whose_file_was_replaced_fails_its_checkout_check(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    db = database(path)
    repo = JobsRepository(db)
    actions = JobActions(db, 3)
    actions.enqueue("network", "NET-1", "2026-W44", None, "ada")
    opened = db.pool.stats().opened_total
    fresh = tmp_path / "fresh.sqlite3"
    migrate(database(fresh))
    fresh.replace(path)  # another file at the same path, with the schema and no jobs

    assert repo.counts()["total"] == 0  # the new file, not the unlinked one the old connection still had open
    assert db.pool.stats().opened_total == opened + 1


class ReadOnlyConnector(SqliteConnector):
    """The real SQLite engine, opening the file read-only (root ignores file permissions here)."""

    def _uri(self, mode: str) -> str:
        return super()._uri("ro" if mode == "rw" else mode)


def test_a_read_only_database_is_unavailable_for_writes_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    migrate(database(path))
    db = Database(ReadOnlyConnector(str(path)))
    assert JobsRepository(db).counts()["total"] == 0  # reads work
    with pytest.raises(DatabaseUnavailable) as raised:
        JobActions(db, 3).enqueue("network", "NET-1", "2026-W44", None, "ada")
    assert raised.value.reason == "the database is read-only"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM exec_report_jobs").fetchone()[0] == 0


def test_a_missing_database_is_created_only_by_prepare(tmp_path: Path) -> None:
    path = tmp_path / "new" / "jobs.sqlite3"
    db = Database(SqliteConnector(str(path)))
    with pytest.raises(DatabaseUnavailable) as raised:
        JobsRepository(db).counts()
    assert raised.value.reason == "the database file is missing" and not path.exists()
    assert db.prepare() is True and path.exists()
    assert db.prepare() is False
