"""Every statement in both dialects: the same names, T-SQL that parses (sqlglot and Microsoft's
ScriptDom), SQLite that prepares."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from shared.db import Database
from shared.db.queries import compile_params, load_queries, migration_files, parse_named_queries
from tests.support.tsql import scriptdom_errors, tsql_statements


def assert_parses_as_tsql(sql: str) -> None:
    trees = sqlglot.parse(sql, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)
    for tree in trees:
        assert tree is not None
        # sqlglot falls back to an opaque Command for text it does not understand; that hides typos.
        commands = [node.sql() for node in tree.find_all(exp.Command)]
        assert not commands, f"not parsed as T-SQL, only passed through: {commands}"


@pytest.mark.parametrize(("where", "sql"), tsql_statements(), ids=[where for where, _ in tsql_statements()])
def test_every_tsql_statement_parses(where: str, sql: str) -> None:
    assert_parses_as_tsql(sql)


@pytest.fixture(scope="module")
def scriptdom_verdicts() -> dict[str, str]:
    return scriptdom_errors(tsql_statements())


@pytest.mark.parametrize("where", [where for where, _ in tsql_statements()])
def test_every_tsql_statement_parses_with_scriptdom(where: str, scriptdom_verdicts: dict[str, str]) -> None:
    assert where not in scriptdom_verdicts, f"SQL Server's parser rejects {where}: {scriptdom_verdicts.get(where)}"


def test_scriptdom_catches_what_sqlglot_lets_through() -> None:
    view_not_first = "IF 1 = 1 CREATE VIEW dbo.v AS SELECT 1 AS a"  # CREATE VIEW must start its batch
    assert_parses_as_tsql(view_not_first)  # sqlglot accepts it...
    verdicts = scriptdom_errors(
        [
            ("view", view_not_first),
            ("typo", "UPDATE dbo.t SET a = 1 WHERE (b = 2"),
            ("odbc marker", "SELECT ?"),
            ("fine", "DELETE TOP (@batch) FROM dbo.t WHERE a < @cutoff"),
        ]
    )
    assert sorted(verdicts) == ["odbc marker", "typo", "view"]  # ...ScriptDom does not
    assert "CREATE" in verdicts["view"]


@pytest.mark.parametrize(
    "broken",
    [
        "SELCT * FROM dbo.exec_report_jobs",
        "UPDATE dbo.exec_report_jobs SET status = ? WHERE (job_id = ?",
        "IF COL_LENGTH(N'dbo.exec_report_jobs', N'x') IS NULL ALTER TABLE dbo.exec_report_jobs ADDD x INT",
        "SELECT TOP (?) * FROM dbo.exec_report_jobs ORDER BY",
    ],
)
def test_the_tsql_check_catches_typos(broken: str) -> None:
    with pytest.raises((sqlglot.errors.ParseError, AssertionError)):
        assert_parses_as_tsql(broken)


def test_both_dialects_define_the_same_queries_and_sql_server_needs_no_other_parameters() -> None:
    # Callers are exercised on SQLite here, so a T-SQL statement may use fewer values but never one
    # that none of the SQLite queries it stands for takes (those share one parameter set in the caller).
    sqlite, mssql = load_queries("sqlite"), load_queries("mssql")
    assert sorted(sqlite) == sorted(mssql)
    for name, query in mssql.items():
        served = [other for other, same in mssql.items() if same.text == query.text]
        assert set(query.params) <= {param for other in served for param in sqlite[other].params}, name


def test_one_name_line_can_name_several_queries() -> None:
    queries = parse_named_queries("-- name: a, b\nSELECT :x;\n-- name: c\nSELECT 1;")
    assert queries["a"].text == queries["b"].text == "SELECT ?" and queries["b"].params == ("x",)
    with pytest.raises(ValueError, match="defined twice"):
        parse_named_queries("-- name: a, a\nSELECT 1;")


def test_both_dialects_have_the_same_migrations() -> None:
    assert [path.name for path in migration_files("sqlite")] == [path.name for path in migration_files("mssql")]


def test_every_sqlite_query_prepares_against_the_migrated_schema(sqlite_db: Database) -> None:
    conn = sqlite_db.connector.connect()
    for name in load_queries("sqlite"):
        query = sqlite_db.query(name)
        conn.execute("EXPLAIN " + query.text, [None] * len(query.params))  # raises on unknown columns or tables


def test_parameters_compile_to_placeholders_and_leave_literals_alone() -> None:
    sql, params = compile_params("SELECT ':not_a_param', a FROM t WHERE a = :a AND b = :b OR c = :a")
    assert sql == "SELECT ':not_a_param', a FROM t WHERE a = ? AND b = ? OR c = ?"
    assert params == ("a", "b", "a")
    with pytest.raises(ValueError, match="defined twice"):
        parse_named_queries("-- name: x\nSELECT 1;\n-- name: x\nSELECT 2;")
