"""The SQL Server connector's and statements' own decisions, checked without a server (none can run
here): which ODBC type each parameter is sent as, how DATETIMEOFFSET is read, which index builds go
online, and which index a page or search reads."""

from __future__ import annotations

import re
import struct
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from shared.db.mssql import (
    SQL_BIGINT,
    SQL_BIT,
    SQL_TYPE_TIMESTAMP,
    SQL_VARCHAR,
    SQL_WVARCHAR,
    MssqlConnector,
    online_index_builds,
    read_datetimeoffset,
    split_batches,
)
from shared.db.preflight import JOBS, Preflight
from shared.db.queries import load_queries, migration_files
from tests.support.tsql import with_named_parameters


class RecordingCursor:
    """Stands in for pyodbc's cursor, which needs a server: it records what setinputsizes was told."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int, int]] = []

    def setinputsizes(self, sizes: list[tuple[int, int, int]]) -> None:
        self.sizes = sizes


def bound(connector: MssqlConnector, name: str, values: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    query = load_queries("mssql")[name]
    cursor = RecordingCursor()
    connector.bind(cursor, query, [values.get(param) for param in query.params])
    return dict(zip(query.params, cursor.sizes, strict=True))


def test_every_parameter_is_declared_so_a_null_costs_no_metadata_round_trip() -> None:
    sizes = bound(
        MssqlConnector("Driver=x", False),
        "insert_job",
        {"job_id": "j1", "scope_type": "network", "created_at": datetime(2026, 1, 1, tzinfo=UTC), "attempts": 0},
    )
    assert len(sizes) == len(load_queries("mssql")["insert_job"].params)
    assert sizes["job_id"] == (SQL_WVARCHAR, 4000, 0)
    assert sizes["iso_week"] == (SQL_WVARCHAR, 4000, 0)  # None, declared all the same
    assert sizes["created_at"] == (SQL_TYPE_TIMESTAMP, 27, 7)
    assert sizes["attempts"] == (SQL_BIGINT, 19, 0)


def test_long_text_goes_as_max_counting_utf16_units() -> None:
    connector = MssqlConnector("Driver=x", False)
    emoji = "\N{ROCKET}" * 2001  # 2,001 characters but 4,002 UTF-16 units: more than NVARCHAR(4000) holds
    assert bound(connector, "fail_job", {"error_detail": emoji})["error_detail"] == (SQL_WVARCHAR, 0, 0)
    assert bound(connector, "fail_job", {"error_detail": "x" * 4000})["error_detail"] == (SQL_WVARCHAR, 4000, 0)
    assert bound(connector, "update_schedule", {"paused": True})["paused"] == (SQL_BIT, 1, 0)


def test_a_sites_varchar_columns_get_varchar_parameters_in_statements_on_that_table() -> None:
    connector = MssqlConnector("Driver=x", False)
    connector.adapt_to(Preflight(varchar_columns={JOBS: {"job_id": 64, "scope_key": 200}}))
    assert bound(connector, "get_job", {"job_id": "j1"})["job_id"] == (SQL_VARCHAR, 8000, 0)
    scopes = bound(connector, "known_scopes_from_jobs", {"key_prefix": "NET%", "scope_type": "network", "limit": 5})
    assert scopes["key_prefix"] == (SQL_VARCHAR, 8000, 0) and scopes["scope_type"] == (SQL_WVARCHAR, 4000, 0)
    # The audit log is the app's own NVARCHAR table: its job_id stays NVARCHAR.
    assert bound(connector, "audit_insert", {"job_id": "j1"})["job_id"] == (SQL_WVARCHAR, 4000, 0)


def test_datetimeoffset_is_read_as_utc() -> None:
    raw = struct.pack("<6hI2h", 2026, 3, 1, 10, 30, 15, 250_000_000, 2, 0)  # 10:30:15.25 +02:00
    assert read_datetimeoffset(raw) == datetime(2026, 3, 1, 8, 30, 15, 250_000, tzinfo=UTC)
    assert read_datetimeoffset(None) is None


def test_table_indexes_are_built_online_and_view_indexes_are_not() -> None:
    batches = [batch for path in migration_files("mssql") for batch in split_batches(path.read_text(encoding="utf-8"))]
    online = [batch for batch in batches if online_index_builds(batch) != batch]
    assert online and all("CLUSTERED" not in batch for batch in online)
    view_indexes = [batch for batch in batches if "UNIQUE CLUSTERED INDEX" in batch]
    assert len(view_indexes) == 7 and all(online_index_builds(batch) == batch for batch in view_indexes)
    assert online_index_builds("    CREATE INDEX ix ON dbo.t (a, b) INCLUDE (c)") == "    CREATE INDEX ix ON dbo.t (a, b) INCLUDE (c) WITH (ONLINE = ON)"


def test_migration_batches_go_online_only_where_the_preflight_says_the_edition_can() -> None:
    connector = MssqlConnector("Driver=x", False)
    script = (migration_files("mssql")[2]).read_text(encoding="utf-8")  # 0003_indexes
    assert all("ONLINE" not in batch for batch in connector.migration_batches(script, Preflight(online_index_ops=False)))
    assert all("WITH (ONLINE = ON)" in batch for batch in connector.migration_batches(script, Preflight(online_index_ops=True)))


def test_a_date_parameter_is_a_date() -> None:
    assert bound(MssqlConnector("Driver=x", False), "select_source_rows", {"start_date": date(2026, 1, 1)})["start_date"][0] == 91


def _tables(tree: exp.Expression) -> list[str]:
    return [table.name for table in tree.find_all(exp.Table)]


@pytest.mark.parametrize("name", ["list_jobs_newest", "list_jobs_oldest", "list_jobs_by_status_newest", "list_jobs_by_status_oldest", "search_jobs_by_key"])
def test_pages_find_their_keys_on_a_narrow_index_and_read_full_rows_only_for_the_page(name: str) -> None:
    tree = sqlglot.parse_one(with_named_parameters(load_queries("mssql")[name]), read="tsql")
    keys = tree.find(exp.Subquery)
    assert keys is not None and keys.alias == "page"
    assert [column.alias_or_name for column in keys.this.expressions] == ["job_id", "created_at"]  # covered by the index or view
    join = tree.args["joins"][0]
    assert join.this.name == "exec_report_jobs" and join.args["on"].sql() == "j.job_id = page.job_id"
    assert keys.this.args.get("offset") is not None and tree.args.get("offset") is None  # OFFSET skips keys, not rows


@pytest.mark.parametrize("name", ["search_jobs_by_key", "search_count_by_key"])
def test_search_filters_the_narrow_view_never_the_wide_table(name: str) -> None:
    tree = sqlglot.parse_one(with_named_parameters(load_queries("mssql")[name]), read="tsql")
    for like in tree.find_all(exp.Like):
        assert like.this.table == "s", like.sql()  # every LIKE runs on the view's columns
    filtered = tree.find(exp.Subquery).this
    assert _tables(filtered) == ["exec_report_job_search"]


def _statements(name: str) -> list[exp.Expression]:
    text = with_named_parameters(load_queries("mssql")[name]).replace("{source_rows_table}", "dbo.exec_report_source_rows")
    return [tree for tree in sqlglot.parse(text, read="tsql") if tree is not None]


@pytest.mark.parametrize("name", sorted(load_queries("mssql")))
def test_every_change_reports_its_own_count_and_no_output_goes_to_the_client(name: str) -> None:
    # Sessions run with NOCOUNT ON (an enabled trigger's counts would replace the statement's), so
    # a change whose count a caller reads ends with SELECT @@ROWCOUNT or a SELECT of its rows. A
    # plain INSERT ... VALUES adds its one row or fails, and nobody reads its count.
    statements = _statements(name)
    changes = [
        tree for tree in statements if isinstance(tree, exp.Update | exp.Delete) or (isinstance(tree, exp.Insert) and isinstance(tree.expression, exp.Select))
    ]
    if changes:
        assert isinstance(statements[-1], exp.Select | exp.Drop), f"{name} changes rows but does not report how many"
    outputs = re.findall(r"\bOUTPUT\b[^;]*", load_queries("mssql")[name].text)
    assert all(re.search(r"\bINTO\s+[@#]\w+$", output.strip()) for output in outputs), f"{name}: OUTPUT without INTO fails with error 334"
