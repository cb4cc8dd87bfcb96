"""Before any DDL: do the tables that already exist at a site fit what the migrations and queries need?

The jobs and snapshots tables usually exist already, created and written by the queuing
application. The preflight reads the catalog (columns, triggers, the tables' and the session's SET
options) and answers with what does not fit, each with what to do about it, and with what the app
adapts to by itself: VARCHAR columns get VARCHAR parameters (a seek instead of a scan of converted
values), DATETIMEOFFSET columns are read and written as UTC, enabled triggers are fine because every
OUTPUT goes INTO a table variable and every statement runs with NOCOUNT ON.

On SQLite the catalog queries return no rows: its tables are always the app's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.db.database import Database, Transaction

JOBS, SNAPSHOTS = "exec_report_jobs", "exec_report_snapshots"
TEXT_TYPES = frozenset({"nvarchar", "varchar"})
TIME_TYPES = frozenset({"datetime2", "datetime", "datetimeoffset", "smalldatetime"})
INT_TYPES = frozenset({"int", "bigint", "smallint", "tinyint"})
KINDS = {"text": TEXT_TYPES, "time": TIME_TYPES, "int": INT_TYPES}
# The original columns (DESIGN.md §2); migrations add the rest where missing.
REQUIRED = {
    JOBS: {
        "job_id": "text",
        "scope_type": "text",
        "scope_key": "text",
        "iso_week": "text",
        "month_key": "text",
        "status": "text",
        "reason": "text",
        "created_at": "time",
        "started_at": "time",
        "finished_at": "time",
        "created_by": "text",
    },
    SNAPSHOTS: {
        "scope_type": "text",
        "scope_key": "text",
        "iso_week": "text",
        "month_key": "text",
        "analysis_json": "text",
        "created_at": "time",
        "rows_used": "int",
        "gen_model": "text",
        "gen_ms": "int",
    },
}
# Index keys the migrations create on existing columns (0003, 0011, 0030; the job id is every
# index's row locator too). A MAX column cannot be a key, and a nonclustered key holds 1,700 bytes.
INDEX_KEYS: dict[str, list[tuple[str, ...]]] = {
    JOBS: [
        ("created_at", "job_id"),
        ("status", "created_at", "job_id"),
        ("scope_type", "scope_key", "iso_week", "month_key", "status"),
        ("scope_type", "created_at", "job_id"),
        ("status", "finished_at"),
    ],
    SNAPSHOTS: [("scope_type", "scope_key", "iso_week", "month_key", "created_at")],
}
MAX_KEY_BYTES = 1700
FIXED_BYTES = {
    "datetime2": 8,
    "datetime": 8,
    "datetimeoffset": 10,
    "smalldatetime": 4,
    "int": 4,
    "bigint": 8,
    "smallint": 2,
    "tinyint": 1,
    "uniqueidentifier": 16,
}
# What indexed views demand of every session that writes the tables under them (0006, 0020):
# https://learn.microsoft.com/sql/relational-databases/views/create-indexed-views (Required SET options).
REQUIRED_SESSION_OPTIONS = {
    "ansi_nulls": 1,
    "ansi_padding": 1,
    "ansi_warnings": 1,
    "arithabort": 1,
    "concat_null_yields_null": 1,
    "quoted_identifier": 1,
    "numeric_roundabort": 0,
}
# SERVERPROPERTY('EngineEdition'): 3 Enterprise/Developer, 5 Azure SQL Database, 8 Managed Instance
# are the editions with online index operations (learn.microsoft.com/sql/relational-databases/indexes/perform-index-operations-online).
ONLINE_INDEX_EDITIONS = frozenset({3, 5, 8})
# OPENJSON (retention's id lists) needs database compatibility level 130 or higher
# (learn.microsoft.com/sql/t-sql/functions/openjson-transact-sql).
MIN_COMPATIBILITY_LEVEL = 130
# The columns the migrations add that hold a job id (snapshots, events, audit, notifications, the
# retention id lists) are NVARCHAR(64): a longer job id would not fit them (error 2628).
JOB_ID_CHARS = 64


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    type_name: str
    max_length: int | None  # characters for text (None: MAX), bytes otherwise
    is_identity: bool
    collation: str | None


@dataclass(frozen=True)
class TableOptions:
    table: str
    ansi_nulls: bool
    enabled_triggers: str  # their names, comma-separated; '' when none
    instead_of_triggers: str


@dataclass(frozen=True)
class Catalog:
    columns: list[Column]
    tables: list[TableOptions]
    session: Mapping[str, Any] | None  # None: not SQL Server


@dataclass
class Preflight:
    problems: list[str] = field(default_factory=list)  # each: what does not fit, and what to do
    adaptations: list[str] = field(default_factory=list)  # what the app adjusts to, for the log
    varchar_columns: dict[str, dict[str, int | None]] = field(default_factory=dict)  # table -> column -> length
    online_index_ops: bool = False

    @property
    def fits(self) -> bool:
        return not self.problems


class SchemaMismatch(RuntimeError):
    """The site's existing tables do not fit; nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"the existing tables do not fit this app; nothing was changed:\n{listed}")


def read_catalog(tx: Transaction) -> Catalog:
    columns = [
        Column(row["table_name"], row["column_name"], str(row["type_name"]).lower(), row["max_length"], bool(row["is_identity"]), row["collation_name"])
        for row in tx.fetch_all("preflight_columns")
    ]
    tables = [
        TableOptions(row["table_name"], bool(row["ansi_nulls"]), row["enabled_triggers"] or "", row["instead_of_triggers"] or "")
        for row in tx.fetch_all("preflight_tables")
    ]
    return Catalog(columns, tables, tx.fetch_one("preflight_session"))


def run_preflight(db: Database) -> Preflight:
    return check(db.run(read_catalog, write=False))


def check(catalog: Catalog) -> Preflight:
    """What does not fit and what is adapted, from catalog rows alone."""
    result = Preflight()
    by_table: dict[str, dict[str, Column]] = {}
    for column in catalog.columns:
        by_table.setdefault(column.table, {})[column.name] = column
    session = catalog.session or {}
    default_collation = session.get("database_collation")
    for table, columns in by_table.items():
        _check_columns(result, table, columns, default_collation)
        _check_index_keys(result, table, columns)
    for options in catalog.tables:
        _check_table_options(result, options)
    if catalog.session is not None:
        wrong = [
            f"{name.upper()} {'ON' if want else 'OFF'}"
            for name, want in REQUIRED_SESSION_OPTIONS.items()
            if session.get(name) is not None and int(session[name]) != want
        ]
        if wrong:
            result.problems.append(
                f"this connection's SET options differ from what indexed views need ({', '.join(wrong)}); "
                "check the connection string and the login's user options (sp_configure 'user options')"
            )
        level = session.get("compatibility_level")
        if level is not None and int(level) < MIN_COMPATIBILITY_LEVEL:
            result.problems.append(
                f"the database's compatibility level is {level}; the app's retention reads id lists with OPENJSON, "
                f"which needs {MIN_COMPATIBILITY_LEVEL} or higher (ALTER DATABASE CURRENT SET COMPATIBILITY_LEVEL = 150)"
            )
        edition = session.get("engine_edition")
        result.online_index_ops = edition is not None and int(edition) in ONLINE_INDEX_EDITIONS
    return result


def _check_columns(result: Preflight, table: str, columns: Mapping[str, Column], default_collation: str | None) -> None:
    for name, kind in REQUIRED.get(table, {}).items():
        column = columns.get(name)
        where = f"dbo.{table}.{name}"
        if column is None:
            result.problems.append(f"{where} is missing; the app reads and writes it (add it as {_suggested(kind)})")
            continue
        if column.type_name in ("char", "nchar"):
            result.problems.append(
                f"{where} is {column.type_name.upper()}, which pads values with spaces that the app would read "
                f"back; change it to {'VARCHAR' if column.type_name == 'char' else 'NVARCHAR'} of the same length"
            )
        elif column.type_name not in KINDS[kind]:
            result.problems.append(
                f"{where} is {column.type_name.upper()}; the app needs {_suggested(kind)} ({' or '.join(sorted(t.upper() for t in KINDS[kind]))})"
            )
        elif column.type_name == "varchar":
            result.varchar_columns.setdefault(table, {})[name] = column.max_length
        elif column.type_name == "datetimeoffset":
            result.adaptations.append(f"{where} is DATETIMEOFFSET: read and written as UTC")
    job_id = columns.get("job_id") if table == JOBS else None
    if job_id is not None and job_id.is_identity:
        result.problems.append(
            f"dbo.{table}.job_id is an IDENTITY column; this app makes each job's id itself (a UUID as text) "
            "so that an enqueue is one round trip and its id is known before it commits; a job_id of "
            "NVARCHAR(64) or VARCHAR(64) fits, or queue this app's jobs in a table of their own"
        )
    elif job_id is not None and job_id.type_name in TEXT_TYPES and job_id.max_length is not None and job_id.max_length > JOB_ID_CHARS:
        result.problems.append(
            f"dbo.{table}.job_id holds up to {job_id.max_length} characters; the job_id columns the migrations add "
            f"(snapshots, history, audit, notifications) hold {JOB_ID_CHARS}, so a longer id would not fit them; "
            f"if no id is longer than {JOB_ID_CHARS}, ALTER COLUMN job_id to {job_id.type_name.upper()}({JOB_ID_CHARS})"
        )
    elif job_id is not None and job_id.type_name == "uniqueidentifier":
        result.problems.append(
            f"dbo.{table}.job_id is UNIQUEIDENTIFIER; the app compares, pages and prefix-searches job ids as "
            "text, which a UNIQUEIDENTIFIER turns into conversion errors (8169) and scans; "
            "NVARCHAR(64) or VARCHAR(64) fits (ALTER COLUMN keeps the values as their 36-character text)"
        )
    if job_id is not None and job_id.collation and default_collation and job_id.collation != default_collation:
        result.problems.append(
            f"dbo.{table}.job_id has collation {job_id.collation} but the database's is {default_collation}: "
            "the job_id columns the migrations add take the database's, and comparing the two fails with "
            "error 468; give job_id the database's collation (ALTER TABLE ... ALTER COLUMN ... COLLATE)"
        )
    others = sorted({c.collation for c in columns.values() if c.collation and default_collation and c.collation != default_collation and c.name != "job_id"})
    if others:
        result.adaptations.append(f"dbo.{table} has columns in {', '.join(others)}: compared in their own collation (search follows its case and accent rules)")
    if table in result.varchar_columns:
        names = ", ".join(sorted(result.varchar_columns[table]))
        result.adaptations.append(
            f"dbo.{table} has VARCHAR columns ({names}): parameters for them are sent as VARCHAR, so "
            "comparisons seek the index; text outside the column's code page is stored as '?'"
        )


def _check_index_keys(result: Preflight, table: str, columns: Mapping[str, Column]) -> None:
    keys = INDEX_KEYS.get(table, [])
    for name in sorted({name for key in keys for name in key}):
        column = columns.get(name)
        if column is not None and column.type_name in TEXT_TYPES and column.max_length is None:
            result.problems.append(
                f"dbo.{table}.{name} is {column.type_name.upper()}(MAX), which cannot be an index key, and "
                f"listing, claiming and de-duplicating need it in one; give it a length that fits its values "
                f"(the app's own tables use NVARCHAR(200) for scope keys, NVARCHAR(64) for job ids)"
            )
    for key in keys:
        width = sum(_key_bytes(columns[name]) for name in key if name in columns)
        if width > MAX_KEY_BYTES:
            result.problems.append(
                f"the index key ({', '.join(key)}) on dbo.{table} can reach {width} bytes, more than the "
                f"{MAX_KEY_BYTES} SQL Server allows in a nonclustered index; shorten its widest text column"
            )


def _check_table_options(result: Preflight, options: TableOptions) -> None:
    where = f"dbo.{options.table}"
    if not options.ansi_nulls:
        result.problems.append(
            f"{where} was created with ANSI_NULLS OFF, and indexed views (the counters behind stats and "
            "metrics) can only reference tables created with it ON; recreate the table with SET ANSI_NULLS ON "
            "(copy the rows into a new table, then swap the names)"
        )
    if options.instead_of_triggers:
        result.problems.append(
            f"{where} has INSTEAD OF triggers ({options.instead_of_triggers}): the app's fenced updates count "
            "the rows they change, and a trigger that replaces the statement makes those counts meaningless"
        )
    if options.enabled_triggers:
        result.adaptations.append(
            f"{where} has enabled triggers ({options.enabled_triggers}): fine, every OUTPUT goes INTO a "
            "table variable (error 334 otherwise) and statements run with NOCOUNT ON"
        )


def _key_bytes(column: Column) -> int:
    if column.type_name in TEXT_TYPES:
        per_char = 2 if column.type_name == "nvarchar" else 1
        return per_char * (column.max_length or 0)
    return FIXED_BYTES.get(column.type_name, column.max_length or 0)


def _suggested(kind: str) -> str:
    return {"text": "NVARCHAR", "time": "DATETIME2(3)", "int": "INT"}[kind]


def describe(preflight: Preflight) -> Iterable[str]:
    yield from (f"adapting: {line}" for line in preflight.adaptations)
    yield from (f"does not fit: {line}" for line in preflight.problems)
