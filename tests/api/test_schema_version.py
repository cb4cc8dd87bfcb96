"""Migrations are a deploy step on SQL Server: until they have run, every call is a 503 that says
so, and the app serves as soon as they have, with no restart. SQL Server cannot run here; the
SQLite connector is switched to SQL Server's start-up rule (check the version, never migrate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.db import Database
from shared.db.migrate import migrate
from shared.db.sqlite import SqliteConnector
from tests.api.conftest import jobs


def test_a_schema_behind_answers_503_until_migrations_run_out_of_band(app_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SqliteConnector, "migrates_at_startup", False)

    behind = jobs()
    assert behind.status == 503 and behind.body["code"] == "migrations_pending"
    assert "make migrate" in behind.body["error"] and "0001_original_tables" in behind.body["error"]
    assert behind.headers["Retry-After"] == "60"
    assert jobs().status == 503  # still behind: the request itself never migrates

    out_of_band = Database(SqliteConnector(str(app_db_path)))
    migrate(out_of_band)
    out_of_band.close()

    served = jobs()
    assert served.status == 200 and served.body["stats"]["total"] == 0
