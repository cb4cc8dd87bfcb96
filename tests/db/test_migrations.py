"""Migrations: ordered, idempotent, additive; an original-shaped database keeps every row."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from shared.db import Database
from shared.db.errors import SchemaBehind
from shared.db.migrate import _apply_batch_by_batch, applied_versions, migrate, require_current_schema
from shared.db.queries import migration_files
from shared.db.sqlite import SqliteConnector
from shared.jobs.repository import JobsRepository

ORIGINAL_SCHEMA = """
CREATE TABLE exec_report_jobs (
    job_id TEXT PRIMARY KEY, scope_type TEXT NOT NULL, scope_key TEXT NOT NULL, iso_week TEXT, month_key TEXT,
    status TEXT NOT NULL, reason TEXT, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, created_by TEXT);
CREATE TABLE exec_report_snapshots (
    snapshot_id INTEGER PRIMARY KEY, scope_type TEXT NOT NULL, scope_key TEXT NOT NULL, iso_week TEXT, month_key TEXT,
    analysis_json TEXT NOT NULL, created_at TEXT NOT NULL, rows_used INTEGER, gen_model TEXT, gen_ms INTEGER);
INSERT INTO exec_report_jobs VALUES
    ('legacy-1', 'network', 'NET-OLD', '2025-W10', NULL, 'succeeded', 'ok', '2025-03-10 08:00:00.000', '2025-03-10 08:01:00.000', '2025-03-10 08:01:20.000', 'cron'),
    ('legacy-2', 'network', 'NET-OLD', NULL, '2025-02', 'failed', 'timeout', '2025-03-01 08:00:00.000', '2025-03-01 08:00:05.000', '2025-03-01 08:00:35.000', 'cron'),
    ('legacy-3', 'region', 'north', '2025-W11', NULL, 'queued', NULL, '2025-03-17 08:00:00.000', NULL, NULL, 'cron');
INSERT INTO exec_report_snapshots VALUES
    (1, 'network', 'NET-OLD', '2025-W10', NULL, '{"headline": "old"}', '2025-03-10 08:01:20.000', 40, 'gpt-4o-mini', 15234);
"""


def test_every_migration_applies_once_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    db = Database(SqliteConnector(str(tmp_path / "db.sqlite3")))
    assert migrate(db) == [path.stem for path in migration_files("sqlite")]
    schema_before = _schema(tmp_path / "db.sqlite3")
    assert migrate(db) == []
    assert _schema(tmp_path / "db.sqlite3") == schema_before
    assert applied_versions(db) == {path.stem for path in migration_files("sqlite")}


def test_original_tables_with_rows_are_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "legacy.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(ORIGINAL_SCHEMA)
    before_jobs = _rows(
        path,
        "SELECT job_id, scope_type, scope_key, iso_week, month_key, status, reason, created_at, "
        "started_at, finished_at, created_by FROM exec_report_jobs ORDER BY job_id",
    )
    before_snapshots = _rows(path, "SELECT snapshot_id, analysis_json, rows_used, gen_model, gen_ms FROM exec_report_snapshots")

    db = Database(SqliteConnector(str(path)))
    migrate(db)

    assert (
        _rows(
            path,
            "SELECT job_id, scope_type, scope_key, iso_week, month_key, status, reason, created_at, "
            "started_at, finished_at, created_by FROM exec_report_jobs ORDER BY job_id",
        )
        == before_jobs
    )
    assert _rows(path, "SELECT snapshot_id, analysis_json, rows_used, gen_model, gen_ms FROM exec_report_snapshots") == before_snapshots
    repo = JobsRepository(db)
    assert repo.counts() == {"queued": 1, "running": 0, "succeeded": 1, "failed": 1, "canceled": 0, "total": 3}
    found = repo.get_with_snapshot("legacy-1")
    assert found is not None and found[1] is not None and found[1].gen_ms == 15234  # linked by scope + period
    legacy_queued = repo.get("legacy-3")
    assert legacy_queued is not None and legacy_queued.attempts == 0 and legacy_queued.max_attempts == 3


def test_a_half_applied_migration_rolls_back_and_reapplies(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = Database(SqliteConnector(str(path)))
    migrate(db)
    with sqlite3.connect(path) as conn:  # pretend the last migration never ran, as after a crash mid-way
        last = migration_files("sqlite")[-1].stem
        conn.execute("DELETE FROM exec_report_schema_migrations WHERE version = ?", (last,))
    assert migrate(db) == [last]


def _schema(path: Path) -> list[tuple[str, str]]:
    return _rows(path, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_migrate_reports_each_migration_as_it_goes(tmp_path: Path) -> None:
    lines: list[str] = []
    migrate(Database(SqliteConnector(str(tmp_path / "db.sqlite3"))), progress=lines.append)
    assert [line.split(" (")[0] for line in lines] == [f"applied migration {path.stem}" for path in migration_files("sqlite")]
    assert all(line.endswith("s)") for line in lines)  # with how long it took


class BatchByBatchSqlite(SqliteConnector):
    """SQL Server's way of applying a file (each batch commits on its own, under a session lock),
    on a real SQLite file: SQL Server cannot run here. Records when the lock is held."""

    migrates_per_batch = True

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.locked = False
        self.lock_sql: list[str] = []

    @contextmanager
    def exclusive_session(self, lock_sql: str) -> Iterator[None]:
        self.lock_sql.append(lock_sql)
        self.locked = True
        try:
            yield
        finally:
            self.locked = False


def test_batch_by_batch_keeps_committed_batches_after_a_failure_and_records_the_version_last(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    connector = BatchByBatchSqlite(str(path))
    db = Database(connector)
    progress: list[str] = []
    assert migrate(db, progress=progress.append) == [path_.stem for path_ in migration_files("sqlite")]
    assert connector.lock_sql == [db.query("lock_migrations").text] and not connector.locked
    assert any(" step 1/" in line for line in progress)  # every batch reports as it goes

    guarded = ["CREATE TABLE IF NOT EXISTS first_step (a INTEGER)", "INSERT INTO no_such_table VALUES (1)"]
    with pytest.raises(sqlite3.OperationalError):
        _apply_batch_by_batch(db, "9999_test", guarded, progress.append)
    assert _rows(path, "SELECT name FROM sqlite_master WHERE name = 'first_step'") == [("first_step",)]  # committed on its own
    assert "9999_test" not in applied_versions(db)  # recorded only once every batch has run

    guarded[1] = "CREATE TABLE IF NOT EXISTS second_step (b INTEGER)"
    assert _apply_batch_by_batch(db, "9999_test", guarded, progress.append)  # the re-run completes the file
    assert "9999_test" in applied_versions(db)
    assert not _apply_batch_by_batch(db, "9999_test", guarded, progress.append)  # and never applies it twice


def test_the_start_up_check_reads_only_and_names_every_pending_migration_of_an_empty_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    db = Database(SqliteConnector(str(path)))
    with pytest.raises(SchemaBehind) as behind:
        require_current_schema(db)
    assert behind.value.pending == [path_.stem for path_ in migration_files("sqlite")]
    assert _schema(path) == []  # not even the migrations table: the app's identity may not create one
