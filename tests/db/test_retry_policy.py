"""The retry policy for Azure SQL against a connector that fails on purpose.

SQL Server cannot run here. The connector below keeps real SQLite underneath (real transactions,
real rows) and raises pyodbc's own exception classes with the arguments the Microsoft ODBC driver
gives them, (SQLSTATE, message), at connect, at a statement or at COMMIT; it classifies them with
the real MssqlConnector rules and waits with the Azure SQL delays. Sleeping is recorded, not done.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyodbc
import pytest

from shared.db import Database, DatabaseUnavailable, retry
from shared.db.errors import AmbiguousCommit
from shared.db.mssql import CONNECTION_DEFAULTS, MssqlConnector, with_resiliency, within_budget
from shared.db.sqlite import SqliteConnector
from shared.jobs.repository import JobsRepository
from tests.conftest import sqlite_database

# What the ODBC Driver 18 for SQL Server raises, as pyodbc shows it.
DATABASE_UNAVAILABLE = pyodbc.OperationalError(
    "42000",
    "[42000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Database 'jobs' on server 'x' is not currently "
    "available.  Please retry the connection later.  If the problem persists, contact customer support, and provide them "
    "the session tracing ID of '0B5E'. (40613) (SQLDriverConnect)",
)
CONNECTION_RESET = pyodbc.OperationalError("08S01", "[08S01] [Microsoft][ODBC Driver 18 for SQL Server]TCP Provider: Error code 0x68 (104) (SQLExecDirectW)")
LOGIN_TIMEOUT = pyodbc.OperationalError("HYT00", "[HYT00] [Microsoft][ODBC Driver 18 for SQL Server]Login timeout expired (0) (SQLDriverConnect)")
LINK_FAILURE = pyodbc.OperationalError("08S01", "[08S01] [Microsoft][ODBC Driver 18 for SQL Server]Communication link failure (0) (SQLEndTran)")
INVALID_OBJECT = pyodbc.ProgrammingError(
    "42S02", "[42S02] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Invalid object name 'dbo.exec_report_jobz'. (208) (SQLExecDirectW)"
)


class FailingConnection:
    """A real SQLite connection that raises the next planned fault at a statement or at COMMIT."""

    def __init__(self, inner: Any, plan: FailingConnector) -> None:
        self._inner, self._plan = inner, plan
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def cursor(self) -> Any:
        self._plan.fail_at("statement")
        return self._inner.cursor()

    def commit(self) -> None:
        self._plan.fail_at("commit")
        self._inner.commit()

    def close(self) -> None:
        self.closed = True
        self._inner.close()


class FailingConnector(SqliteConnector):
    """SQLite underneath, SQL Server's fault rules on top; `faults` are (where, exception) in order."""

    retry_policy = retry.AZURE_SQL
    ambiguous_commits = True

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.rules = MssqlConnector("Driver={ODBC Driver 18 for SQL Server};Server=x", False)
        self.faults: list[tuple[str, BaseException]] = []
        self.opened: list[FailingConnection] = []

    def fail_at(self, where: str) -> None:
        if self.faults and self.faults[0][0] == where:
            raise self.faults.pop(0)[1]

    def connect(self) -> Any:
        self.fail_at("connect")
        conn = FailingConnection(super().connect(), self)
        self.opened.append(conn)
        return conn

    def check(self, conn: Any, ping: bool) -> None:
        super().check(conn._inner, ping)

    def is_transient(self, exc: BaseException) -> bool:
        return self.rules.is_transient(exc)

    def unavailable_reason(self, exc: BaseException) -> str | None:
        return self.rules.unavailable_reason(exc)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def flaky(tmp_path: Path, fake_time: FakeTime) -> Iterator[tuple[Database, FailingConnector]]:
    sqlite_database(tmp_path / "jobs.sqlite3").close()  # migrated
    connector = FailingConnector(str(tmp_path / "jobs.sqlite3"))
    db = Database(connector, sleep=fake_time.sleep, clock=fake_time.clock)
    yield db, connector
    db.close()


def test_a_failover_is_ridden_out_with_5_10_20_40_second_waits_on_fresh_connections(flaky, fake_time: FakeTime) -> None:
    db, connector = flaky
    connector.faults = [("connect", DATABASE_UNAVAILABLE), ("connect", LOGIN_TIMEOUT), ("statement", CONNECTION_RESET), ("connect", DATABASE_UNAVAILABLE)]
    assert JobsRepository(db).counts()["total"] == 0  # the fifth try answers
    assert len(fake_time.slept) == 4
    for slept, planned in zip(fake_time.slept, (5, 10, 20, 40), strict=True):
        assert planned * 0.8 <= slept <= planned * 1.2  # jittered, never below Azure SQL's 5 s floor for the first
    assert connector.opened[0].closed  # the connection that broke mid-statement was not reused
    assert len(connector.opened) == 2


def test_an_api_request_gives_up_within_its_budget_and_says_when_to_come_back(flaky, fake_time: FakeTime) -> None:
    db, connector = flaky
    connector.faults = [("connect", DATABASE_UNAVAILABLE)] * 5
    with retry.budget(retry.API_BUDGET_SECONDS, clock=fake_time.clock), pytest.raises(DatabaseUnavailable) as raised:
        db.fetch_all("job_counts")
    assert len(fake_time.slept) == 1 and fake_time.now - 1000.0 < retry.API_BUDGET_SECONDS
    assert raised.value.retry_after == 10  # the wait the next retry would have taken


def test_a_commit_cut_off_midway_is_not_applied_twice(flaky) -> None:
    db, connector = flaky
    runs: list[int] = []

    def enqueue(tx: Any) -> None:
        runs.append(1)
        tx.execute("audit_insert", {"at": "2026-01-01 00:00:00.000", "actor": "ada", "action": "enqueue", "job_id": None, "detail": "x"})

    connector.faults = [("commit", LINK_FAILURE)]
    with pytest.raises(AmbiguousCommit, match="commit failed midway"):
        db.run(enqueue)
    assert runs == [1]  # not retried blindly: the caller reads back instead

    connector.faults = [("commit", LINK_FAILURE)]
    db.run(enqueue, idempotent=True)  # a write that may run twice is retried
    assert runs == [1, 1, 1]


def test_a_read_whose_commit_fails_is_simply_retried(flaky, fake_time: FakeTime) -> None:
    db, connector = flaky
    connector.faults = [("commit", LINK_FAILURE)]
    assert {row["status"] for row in db.fetch_all("job_counts")} <= {"queued", "running", "succeeded", "failed", "canceled"}
    assert len(fake_time.slept) == 1


def test_a_mistake_is_never_retried(flaky, fake_time: FakeTime) -> None:
    db, connector = flaky
    connector.faults = [("statement", INVALID_OBJECT)]
    with pytest.raises(pyodbc.ProgrammingError):
        db.fetch_all("job_counts")
    assert fake_time.slept == []


@pytest.mark.parametrize(
    ("fault", "transient"),
    [
        (DATABASE_UNAVAILABLE, True),
        (CONNECTION_RESET, True),
        (LOGIN_TIMEOUT, True),
        (LINK_FAILURE, True),
        (pyodbc.OperationalError("08S01", "[08S01] [Microsoft][ODBC Driver 18 for SQL Server]TCP Provider: Error code 0x20 (32) (SQLExecDirectW)"), True),
        (pyodbc.OperationalError("HYT00", "[HYT00] [Microsoft][ODBC Driver 18 for SQL Server]Query timeout expired (0) (SQLExecDirectW)"), True),
        (
            pyodbc.Error(
                "40001",
                "[40001] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Transaction (Process ID 61) was deadlocked on lock "
                "resources with another process and has been chosen as the deadlock victim. Rerun the transaction. (1205) (SQLExecDirectW)",
            ),
            True,
        ),
        (
            pyodbc.Error(
                "42000",
                "[42000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Resource ID : 1. The request limit for the database "
                "is 90 and has been reached. (10928) (SQLExecDirectW)",
            ),
            True,
        ),
        (INVALID_OBJECT, False),
        (
            pyodbc.IntegrityError(
                "23000",
                "[23000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Violation of PRIMARY KEY constraint "
                "'pk_exec_report_jobs'. (2627) (SQLExecDirectW)",
            ),
            False,
        ),
        (
            # A row's value in parentheses that looks like a transient number (64, 1205) is not one.
            pyodbc.IntegrityError(
                "23000",
                "[23000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Cannot insert duplicate key row in object "
                "'dbo.exec_report_schedules' with unique index 'ux_exec_report_schedules_name'. The duplicate key value is (1205). (2601) (SQLExecDirectW)",
            ),
            False,
        ),
        (
            pyodbc.IntegrityError(
                "23000", "[23000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]The duplicate key value is (64). (2627) (SQLExecDirectW)"
            ),
            False,
        ),
    ],
)
def test_which_driver_errors_are_transient(fault: BaseException, transient: bool) -> None:
    assert MssqlConnector("Driver=x", False).is_transient(fault) is transient


def test_the_connection_string_gets_connection_resiliency_unless_it_sets_its_own() -> None:
    base = "Driver={ODBC Driver 18 for SQL Server};Server=tcp:x.database.windows.net,1433;Database=jobs;Encrypt=yes"
    assert with_resiliency(base) == base + ";ConnectRetryCount=3;ConnectRetryInterval=10"
    own = base + ";connectretrycount=5"
    assert with_resiliency(own) == own + ";ConnectRetryInterval=10"
    assert set(CONNECTION_DEFAULTS) == {"ConnectRetryCount", "ConnectRetryInterval"}


def test_each_attempts_login_and_statement_timeouts_fit_in_what_is_left_of_the_budget() -> None:
    # A 30 s login or statement inside a request that gives up after 12 s would outlast the request.
    assert within_budget(30) == 30  # no budget set: the timer's pass, the migrator
    with retry.budget(3.2):
        assert within_budget(30) == 4  # whole seconds, rounded up
    with retry.budget(0.0):
        assert within_budget(30) == 1  # never 0, which the driver reads as "no timeout"
