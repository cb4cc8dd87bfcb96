"""The preflight against catalog rows as SQL Server returns them (sys.columns, sys.triggers,
OBJECTPROPERTY, SESSIONPROPERTY): SQL Server cannot run here, so the rows are written out as a site
with an existing jobs table would have them, and the checks read nothing else."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from shared.db.migrate import migrate
from shared.db.preflight import JOBS, SNAPSHOTS, Catalog, Column, SchemaMismatch, TableOptions, check
from tests.conftest import sqlite_database

SESSION_OK = {
    "ansi_nulls": 1,
    "ansi_padding": 1,
    "ansi_warnings": 1,
    "arithabort": 1,
    "concat_null_yields_null": 1,
    "quoted_identifier": 1,
    "numeric_roundabort": 0,
    "database_collation": "SQL_Latin1_General_CP1_CI_AS",
    "engine_edition": 5,
    "compatibility_level": 160,
}
COLLATION = "SQL_Latin1_General_CP1_CI_AS"


def original_columns(**changes: Column) -> list[Column]:
    """dbo.exec_report_jobs and dbo.exec_report_snapshots as the original system created them."""

    def text(table: str, name: str, length: int | None) -> Column:
        return Column(table, name, "nvarchar", length, False, COLLATION)

    def time(table: str, name: str) -> Column:
        return Column(table, name, "datetime2", 8, False, None)

    columns = [
        text(JOBS, "job_id", 64),
        text(JOBS, "scope_type", 50),
        text(JOBS, "scope_key", 200),
        text(JOBS, "iso_week", 8),
        text(JOBS, "month_key", 7),
        text(JOBS, "status", 16),
        text(JOBS, "reason", None),
        time(JOBS, "created_at"),
        time(JOBS, "started_at"),
        time(JOBS, "finished_at"),
        text(JOBS, "created_by", 256),
        Column(SNAPSHOTS, "snapshot_id", "bigint", 8, True, None),
        text(SNAPSHOTS, "scope_type", 50),
        text(SNAPSHOTS, "scope_key", 200),
        text(SNAPSHOTS, "iso_week", 8),
        text(SNAPSHOTS, "month_key", 7),
        text(SNAPSHOTS, "analysis_json", None),
        time(SNAPSHOTS, "created_at"),
        Column(SNAPSHOTS, "rows_used", "int", 4, False, None),
        text(SNAPSHOTS, "gen_model", 100),
        Column(SNAPSHOTS, "gen_ms", "int", 4, False, None),
    ]
    return [changes.get(f"{column.table}.{column.name}".replace(".", "__"), column) for column in columns]


def catalog(columns: list[Column] | None = None, tables: list[TableOptions] | None = None, **session: object) -> Catalog:
    return Catalog(
        columns if columns is not None else original_columns(),
        tables if tables is not None else [TableOptions(JOBS, True, "", ""), TableOptions(SNAPSHOTS, True, "", "")],
        {**SESSION_OK, **session},
    )


def column(name: str) -> Column:
    table, _, col = name.partition(".")
    return next(c for c in original_columns() if c.table == table and c.name == col)


def test_the_original_tables_fit_as_they_are() -> None:
    result = check(catalog())
    assert result.fits and result.problems == [] and result.adaptations == []
    assert result.online_index_ops  # Azure SQL Database (engine edition 5) builds indexes online


def test_a_fresh_database_has_nothing_to_check() -> None:
    assert check(Catalog([], [], SESSION_OK)).fits


@pytest.mark.parametrize(("edition", "online"), [(2, False), (3, True), (4, False), (5, True), (8, True)])
def test_indexes_are_built_online_only_where_the_edition_can(edition: int, online: bool) -> None:
    assert check(catalog(engine_edition=edition)).online_index_ops is online


def test_varchar_columns_are_adapted_to_with_varchar_parameters() -> None:
    result = check(
        catalog(
            original_columns(
                exec_report_jobs__scope_key=replace(column("exec_report_jobs.scope_key"), type_name="varchar"),
                exec_report_jobs__job_id=replace(column("exec_report_jobs.job_id"), type_name="varchar"),
            )
        )
    )
    assert result.fits
    assert result.varchar_columns == {JOBS: {"job_id": 64, "scope_key": 200}}
    assert any("VARCHAR columns (job_id, scope_key)" in line for line in result.adaptations)


def test_datetimeoffset_and_other_collations_are_adapted_to() -> None:
    result = check(
        catalog(
            original_columns(
                exec_report_jobs__created_at=replace(column("exec_report_jobs.created_at"), type_name="datetimeoffset"),
                exec_report_jobs__scope_key=replace(column("exec_report_jobs.scope_key"), collation="Latin1_General_100_CS_AS"),
            )
        )
    )
    assert result.fits
    assert any("created_at is DATETIMEOFFSET" in line for line in result.adaptations)
    assert any("Latin1_General_100_CS_AS" in line and "case" in line for line in result.adaptations)


def test_enabled_triggers_are_fine_but_instead_of_triggers_are_not() -> None:
    after = check(catalog(tables=[TableOptions(JOBS, True, "tr_jobs_audit", ""), TableOptions(SNAPSHOTS, True, "", "")]))
    assert after.fits and any("tr_jobs_audit" in line and "error 334" in line for line in after.adaptations)
    instead = check(catalog(tables=[TableOptions(JOBS, True, "tr_jobs_route", "tr_jobs_route")]))
    assert not instead.fits and "INSTEAD OF triggers (tr_jobs_route)" in instead.problems[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"exec_report_jobs__job_id": Column(JOBS, "job_id", "int", 4, True, None)}, "job_id is an IDENTITY column"),
        ({"exec_report_jobs__job_id": Column(JOBS, "job_id", "uniqueidentifier", 16, False, None)}, "job_id is UNIQUEIDENTIFIER"),
        ({"exec_report_jobs__job_id": Column(JOBS, "job_id", "nvarchar", 64, False, "Latin1_General_BIN2")}, "error 468"),
        (
            {"exec_report_jobs__scope_key": Column(JOBS, "scope_key", "nvarchar", None, False, COLLATION)},
            "scope_key is NVARCHAR(MAX), which cannot be an index key",
        ),
        ({"exec_report_jobs__scope_key": Column(JOBS, "scope_key", "nvarchar", 900, False, COLLATION)}, "more than the 1700"),
        ({"exec_report_jobs__status": Column(JOBS, "status", "nchar", 16, False, COLLATION)}, "status is NCHAR, which pads values"),
        ({"exec_report_jobs__created_at": Column(JOBS, "created_at", "varchar", 30, False, COLLATION)}, "created_at is VARCHAR; the app needs DATETIME2(3)"),
        ({"exec_report_snapshots__gen_ms": Column(SNAPSHOTS, "gen_ms", "float", 8, False, None)}, "gen_ms is FLOAT; the app needs INT"),
        ({"exec_report_jobs__job_id": Column(JOBS, "job_id", "varchar", 100, False, COLLATION)}, "job_id holds up to 100 characters"),
    ],
)
def test_what_does_not_fit_is_named_with_what_to_do(changes: dict[str, Column], expected: str) -> None:
    result = check(catalog(original_columns(**changes)))
    assert not result.fits
    assert any(expected in problem for problem in result.problems), result.problems


def test_a_missing_column_and_ansi_nulls_off_are_listed_together() -> None:
    columns = [c for c in original_columns() if (c.table, c.name) != (JOBS, "created_by")]
    result = check(catalog(columns, tables=[TableOptions(JOBS, False, "", ""), TableOptions(SNAPSHOTS, True, "", "")]))
    assert len(result.problems) == 2
    assert "dbo.exec_report_jobs.created_by is missing" in result.problems[0]
    assert "created with ANSI_NULLS OFF" in result.problems[1] and "SET ANSI_NULLS ON" in result.problems[1]


def test_session_options_that_break_indexed_views_are_named() -> None:
    result = check(catalog(arithabort=0, numeric_roundabort=1))
    assert result.problems == [
        "this connection's SET options differ from what indexed views need (ARITHABORT ON, NUMERIC_ROUNDABORT OFF); "
        "check the connection string and the login's user options (sp_configure 'user options')"
    ]


def test_a_mismatch_stops_migrate_before_any_ddl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = sqlite_database(tmp_path / "db.sqlite3")
    monkeypatch.setattr("shared.db.migrate.run_preflight", lambda _db: check(catalog(tables=[TableOptions(JOBS, False, "", "")])))
    db.run(lambda tx: tx.run_script("DELETE FROM exec_report_schema_migrations WHERE version = '0050_search_index_skips_unsearchable_changes'"))
    with pytest.raises(SchemaMismatch, match="ANSI_NULLS OFF") as raised:
        migrate(db)
    assert "nothing was changed" in str(raised.value)
    assert db.fetch_one("get_migration", {"version": "0050_search_index_skips_unsearchable_changes"}) is None
    db.close()


def test_a_compatibility_level_without_openjson_is_named_with_the_fix() -> None:
    result = check(catalog(compatibility_level=120))
    assert not result.fits
    assert result.problems == [
        "the database's compatibility level is 120; the app's retention reads id lists with OPENJSON, "
        "which needs 130 or higher (ALTER DATABASE CURRENT SET COMPATIBILITY_LEVEL = 150)"
    ]
