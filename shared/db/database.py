"""One API over both dialects: named queries, pooled connections, transactions and retries."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from shared.db import retry
from shared.db.errors import AmbiguousCommit, DatabaseUnavailable
from shared.db.outage import OutageLog
from shared.db.pool import ConnectionPool, Pooled
from shared.db.queries import Query, load_queries

if TYPE_CHECKING:
    from shared.db.preflight import Preflight

log = logging.getLogger(__name__)
T = TypeVar("T")
Row = dict[str, Any]
Params = Mapping[str, Any]


class Connector(Protocol):
    dialect: str
    retry_policy: retry.RetryPolicy
    ambiguous_commits: bool  # True: a connection lost during COMMIT leaves the outcome unknown (a server)
    migrates_at_startup: bool  # False: migrations are a deploy step, and start-up only checks the version
    migrates_per_batch: bool  # True: each migration batch commits on its own (shared/db/migrate.py says why)

    def prepare(self) -> bool: ...
    def connect(self) -> Any: ...
    def check(self, conn: Any, ping: bool) -> None: ...
    def begin(self, conn: Any, write: bool) -> None: ...
    def finish(self, conn: Any) -> None: ...
    def adapt(self, value: Any) -> Any: ...
    def adapt_to(self, preflight: Preflight) -> None: ...
    def bind(self, cursor: Any, query: Query, values: Sequence[Any]) -> None: ...
    def migration_batches(self, script: str, preflight: Preflight) -> list[str]: ...
    def is_transient(self, exc: BaseException) -> bool: ...
    def unavailable_reason(self, exc: BaseException) -> str | None: ...
    def run_script(self, conn: Any, script: str) -> None: ...
    def exclusive_session(self, lock_sql: str) -> AbstractContextManager[None]: ...
    def after_migrations(self) -> None: ...


@dataclass
class _Attempt:
    committing: bool = False  # the work is done and COMMIT was sent: a fault now has an unknown outcome


class Transaction:
    """Statements run inside one open transaction, addressed by query name."""

    def __init__(self, db: Database, conn: Any) -> None:
        self._db = db
        self._conn = conn
        self.notices: list[tuple[str, Any]] = []

    def notify(self, topic: str, payload: Any) -> None:
        """Tell `topic`'s subscribers about `payload` once this transaction has committed (never if it rolls back)."""
        self.notices.append((topic, payload))

    def _cursor(self, name: str, params: Params) -> Any:
        query = self._db.query(name)
        adapt = self._db.connector.adapt
        cursor = self._conn.cursor()
        values = [adapt(params[param]) for param in query.params]
        self._db.connector.bind(cursor, query, values)
        cursor.execute(query.text, values)
        return cursor

    def execute(self, name: str, params: Params | None = None) -> int:
        """Run a statement; the number of rows it changed. A statement that reports the count itself
        (T-SQL under NOCOUNT ON ends with SELECT @@ROWCOUNT) is believed over the driver's count,
        which an enabled trigger's own statements can replace."""
        cursor = self._cursor(name, params or {})
        if cursor.description is not None:
            row = cursor.fetchone()
            return int(row[0]) if row else 0
        return cursor.rowcount

    def execute_many(self, name: str, rows: Sequence[Params]) -> None:
        """One statement for many parameter sets: bulk loads (demo data, benchmarks)."""
        query = self._db.query(name)
        adapt = self._db.connector.adapt
        self._conn.cursor().executemany(query.text, [[adapt(row[param]) for param in query.params] for row in rows])

    def fetch_all(self, name: str, params: Params | None = None) -> list[Row]:
        cursor = self._cursor(name, params or {})
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def fetch_one(self, name: str, params: Params | None = None) -> Row | None:
        rows = self.fetch_all(name, params)
        return rows[0] if rows else None

    def run_script(self, script: str) -> None:
        self._db.connector.run_script(self._conn, script)


class Database:
    def __init__(
        self,
        connector: Connector,
        source_rows_table: str = "exec_report_source_rows",
        pool_size: int = 10,
        pool_max_age_seconds: float = 1800.0,
        pool_wait_seconds: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.connector = connector
        self.dialect = connector.dialect
        self._sleep, self._clock = sleep, clock
        self._queries = {
            name: Query(name, query.text.replace("{source_rows_table}", source_rows_table), query.params) for name, query in load_queries(self.dialect).items()
        }
        self.pool = ConnectionPool(connector, pool_size, pool_max_age_seconds, pool_wait_seconds)
        self.outages = OutageLog()
        self._subscribers: dict[str, list[Callable[[list[Any]], None]]] = {}

    def subscribe(self, topic: str, handler: Callable[[list[Any]], None]) -> None:
        """Call `handler` with a committed transaction's payloads for `topic` (post-commit, on the caller's thread)."""
        self._subscribers.setdefault(topic, []).append(handler)

    def _publish(self, notices: list[tuple[str, Any]]) -> None:
        for topic, handlers in self._subscribers.items():
            payloads = [payload for name, payload in notices if name == topic]
            if payloads:
                for handler in handlers:
                    handler(payloads)

    def query(self, name: str) -> Query:
        return self._queries[name]

    def prepare(self) -> bool:
        """Start-up only: make the database reachable, creating an empty SQLite file if missing (True)."""
        return self.connector.prepare()

    @contextmanager
    def _transaction(self, write: bool, attempt: _Attempt) -> Iterator[Transaction]:
        pooled = self._checkout()
        conn = pooled.conn
        try:
            self.connector.begin(conn, write)
            yield Transaction(self, conn)
            attempt.committing = True
            conn.commit()
        except BaseException as exc:
            if self.connector.is_transient(exc) or self.connector.unavailable_reason(exc):
                pooled.discard()  # retried, if at all, on a fresh connection
            try:
                conn.rollback()
            except Exception:
                pooled.discard()
            raise
        finally:
            if not pooled.broken:
                try:
                    self.connector.finish(conn)
                except Exception:
                    pooled.discard()
            self.pool.checkin(pooled)

    def _checkout(self) -> Pooled:
        try:
            return self.pool.checkout()
        except DatabaseUnavailable:
            raise
        except Exception as exc:
            if self.connector.is_transient(exc):
                raise  # run() retries it
            raise DatabaseUnavailable(f"cannot connect to the database: {type(exc).__name__}: {exc}") from exc

    def run(self, work: Callable[[Transaction], T], write: bool = True, idempotent: bool = False) -> T:
        """Run `work` in one transaction, retrying transient faults on a fresh connection after the
        connector's delays, within the caller's budget (shared/db/retry.py).

        A fault during COMMIT leaves the outcome unknown: a read, or a write the caller declares
        `idempotent` (running it twice changes nothing more), is retried; any other write raises
        AmbiguousCommit, for the caller to read back what happened rather than apply it twice."""
        try:
            result = self._run_with_retries(work, write, idempotent or not write)
        except DatabaseUnavailable as exc:
            self.outages.failed(str(exc))
            raise
        self.outages.succeeded()
        return result

    def _run_with_retries(self, work: Callable[[Transaction], T], write: bool, repeatable: bool) -> T:
        policy = self.connector.retry_policy
        deadline = self._clock() + retry.time_left(self._clock)
        for number in range(len(policy.delays) + 1):
            attempt = _Attempt()
            try:
                with self._transaction(write, attempt) as tx:
                    result = work(tx)
            except DatabaseUnavailable:
                raise
            except Exception as exc:
                transient = self.connector.is_transient(exc)
                reason = self.connector.unavailable_reason(exc)
                if not (transient or reason):
                    raise
                if attempt.committing and self.connector.ambiguous_commits and not repeatable:
                    raise AmbiguousCommit(f"the commit failed midway: {type(exc).__name__}: {exc}") from exc
                retry_after = policy.delays[min(number, len(policy.delays) - 1)]
                if transient and number < len(policy.delays):
                    delay = policy.delay(number)
                    if self._clock() + delay < deadline:
                        log.warning("transient database error, retrying on a fresh connection in %.1fs: %s", delay, exc)
                        self._sleep(delay)
                        continue
                raise DatabaseUnavailable(
                    f"database unavailable: {type(exc).__name__}: {exc}", reason=reason or "cannot connect", retry_after=retry_after
                ) from exc
            self._publish(tx.notices)  # committed; a failed attempt's notices went with its rollback
            return result
        raise AssertionError("unreachable")

    def fetch_all(self, name: str, params: Params | None = None) -> list[Row]:
        return self.run(lambda tx: tx.fetch_all(name, params), write=False)

    def fetch_one(self, name: str, params: Params | None = None) -> Row | None:
        return self.run(lambda tx: tx.fetch_one(name, params), write=False)

    def execute(self, name: str, params: Params | None = None) -> int:
        return self.run(lambda tx: tx.execute(name, params))

    def close(self) -> None:
        """Close every connection (in-use ones as they come back); the pool opens new ones if used again."""
        self.pool.close()
        self.pool.reopen()


def open_database(settings: Any) -> Database:
    """The database the settings point at; the SQL Server driver is imported only on that path."""
    if settings.db_backend == "mssql":
        from shared.db.mssql import MssqlConnector

        connector: Connector = MssqlConnector(settings.sql_connection_string, settings.sql_use_managed_identity)
    else:
        from shared.db.sqlite import SqliteConnector

        connector = SqliteConnector(settings.sqlite_path)
    return Database(
        connector,
        source_rows_table=settings.source_rows_table,
        pool_size=settings.db_pool_size,
        pool_max_age_seconds=settings.db_pool_max_age_seconds,
        pool_wait_seconds=settings.db_pool_wait_seconds,
    )
