"""Fixtures shared by every test: real databases, migrated, one per test."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.app_context import reset_context
from shared.db import Database
from shared.db.migrate import migrate
from shared.db.queries import migration_files
from shared.db.sqlite import SqliteConnector

MSSQL_ENV = "MSSQL_TEST_CONNECTION_STRING"
TOKEN = "t" * 40  # ADMIN_API_TOKEN of the in-process app
# Settings from the developer's shell that would point the in-process app elsewhere.
SETTINGS_TO_CLEAR = (
    "DB_BACKEND",
    "SQL_CONNECTION_STRING",
    "VIEWER_ROLE",
    "ADMIN_ROLE",
    "ALLOWED_ORIGINS",
    "TRUSTED_PROXY",
    "REPORT_GENERATOR",
    "SOURCE_ROWS_TABLE",
)


def mssql_tables() -> list[str]:
    """Every table the migrations create and leave empty, newest first, so rows that refer to others
    go first. Tables a migration fills (the metrics bins) are reference data and keep their rows."""
    scripts = [path.read_text(encoding="utf-8") for path in migration_files("mssql")]
    created = [name for script in scripts for name in re.findall(r"CREATE TABLE dbo\.(\w+)", script)]
    seeded = {name for script in scripts for name in re.findall(r"INSERT INTO dbo\.(\w+)", script)}
    return [name for name in reversed(created) if name not in seeded]


def sqlite_database(path: Path) -> Database:
    db = Database(SqliteConnector(str(path)))
    migrate(db)
    return db


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = sqlite_database(tmp_path / "jobs.sqlite3")
    yield db
    db.close()


@pytest.fixture(params=["sqlite", "mssql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The data layer under test: SQLite always, SQL Server when a connection string is given."""
    if request.param == "sqlite":
        database = sqlite_database(tmp_path / "jobs.sqlite3")
    else:
        connection_string = os.environ.get(MSSQL_ENV)
        if not connection_string:
            pytest.skip(f"SQL Server cannot run on this machine; set {MSSQL_ENV} to run these tests against one")
        from shared.db.mssql import MssqlConnector

        database = Database(MssqlConnector(connection_string, use_managed_identity=False))
        migrate(database)
        database.run(lambda tx: [tx.run_script(f"DELETE FROM dbo.{table}") for table in mssql_tables()])
    yield database
    database.close()


@pytest.fixture
def app_db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, azurite: str) -> Iterator[Path]:
    """The in-process app (function_app.py's functions and get_context()) on a fresh SQLite file, with
    token and platform auth on, and its own queue in Azurite; yields that file's path. tests/api calls it over HTTP requests, the
    worker's timer test through its timer function."""
    for name in SETTINGS_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "jobs.sqlite3"
    monkeypatch.setenv("SQLITE_PATH", str(path))
    monkeypatch.setenv("AzureWebJobsStorage", azurite)
    monkeypatch.setenv("JOB_DISPATCH", "queue")
    monkeypatch.setenv("JOB_QUEUE_NAME", f"jobs-{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("AUTH_MODE", "token,platform")
    monkeypatch.setenv("ADMIN_API_TOKEN", TOKEN)
    reset_context()
    yield path
    reset_context()


@pytest.fixture(scope="session")
def azurite() -> Iterator[str]:
    """The real storage emulator (Azurite, installed by the set-up), in memory on a free loopback port: its connection string."""
    from local_host.azurite import Azurite

    with Azurite() as emulator:
        yield emulator.connection_string
