"""SQLite connector: the embedded default for laptops and tests (stdlib sqlite3).

Only start-up creates the database file (`prepare()`, called by the app's context, `make migrate`
and `make seed`). Every other connection opens the file with `mode=rw`, so a file that disappears
while the app runs gives 503 instead of a new empty database in its place, and a pooled connection
whose file was deleted or replaced (it would keep writing to the unlinked inode) fails its checkout
check and is closed.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from shared.clock import db_time
from shared.db.errors import DatabaseUnavailable
from shared.db.retry import SQLITE

if TYPE_CHECKING:
    from shared.db.preflight import Preflight
    from shared.db.queries import Query

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 3000
# Each connection's page cache, in KiB (SQLite's default is 2,000). A search walks a common trigram's
# postings and looks up each match's row; at 1M jobs that working set outgrows 2 MB, and every page
# it drops is read again from the file on the next poll of the same page. 32 MiB holds it: the
# page of q=contoso&status=failed 7.7 -> 5.0 ms on the 1M bench database, no gain from 64 MiB
# (sqlite.org/pragma.html#pragma_cache_size). A cache fills only as pages are read.
CACHE_KIB = 32 * 1024
HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
MEMORY = ":memory:"
# Messages of the sqlite3 errors that mean "this database cannot be used now", with what callers are told.
_UNAVAILABLE = (
    ("unable to open", "the database file cannot be opened"),
    ("disk is full", "the disk is full"),
    ("disk i/o", "the disk failed"),
    ("readonly", "the database is read-only"),
    # Only our own tables: a missing SOURCE_ROWS_TABLE view is a setting to fix, not an outage.
    ("no such table: exec_report_", "the database has lost its tables (was the file replaced?)"),
    ("not a database", "the database file is not a SQLite database"),
    ("malformed", "the database file is damaged"),
    ("locked", "the database stayed busy"),
)


class _Connection(sqlite3.Connection):
    identity: tuple[int, int] | None = None  # (device, inode) of the file this connection opened


class SqliteConnector:
    dialect = "sqlite"
    migrates_at_startup = True  # the app's own embedded file: nobody else runs its migrations
    retry_policy = SQLITE  # a busy lock clears in milliseconds
    ambiguous_commits = False  # a COMMIT that fails has not happened: SQLite says so reliably
    migrates_per_batch = False  # a file applies whole, in one transaction

    def __init__(self, path: str) -> None:
        self.path = path
        self._file = Path(path).absolute()

    def prepare(self) -> bool:
        """At start-up: create the database if it is missing (True), or check the file is SQLite."""
        if self.path == MEMORY:
            return False
        if self._file.exists():
            with self._file.open("rb") as file:
                header = file.read(len(HEADER))
            if header and header != HEADER:
                raise DatabaseUnavailable(
                    f"{self.path} is not a valid SQLite database (it does not start with the SQLite header); "
                    "it was left unchanged: point SQLITE_PATH at a SQLite file, or at a path where one can be created",
                    reason="the database file is not a SQLite database",
                )
            return False
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            sqlite3.connect(self._uri("rwc"), uri=True).close()
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseUnavailable(f"cannot create the SQLite database {self.path}: {exc}", reason="the database file cannot be created") from exc
        log.info("created a new empty SQLite database at %s", self.path)
        return True

    def connect(self) -> sqlite3.Connection:
        if self.path == MEMORY:
            return self._configure(sqlite3.connect(MEMORY, isolation_level=None, check_same_thread=False))
        try:
            # isolation_level=None: we issue BEGIN ourselves, so writers can take the lock up front.
            conn = sqlite3.connect(
                self._uri("rw"),
                uri=True,
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
                factory=_Connection,
            )
        except sqlite3.OperationalError as exc:
            raise self._missing() from exc
        conn.identity = self._identity()
        if conn.identity is None:
            conn.close()
            raise self._missing()
        try:
            return self._configure(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseUnavailable(f"{self.path}: {exc}", reason=self.unavailable_reason(exc) or "cannot connect") from exc

    def check(self, conn: sqlite3.Connection, ping: bool) -> None:
        """Raise unless `conn` still reaches the file at the configured path (a stat, every checkout)."""
        identity = getattr(conn, "identity", None)
        if identity is not None and self._identity() != identity:
            raise self._missing()
        if ping:
            conn.execute("SELECT 1")

    def finish(self, conn: sqlite3.Connection) -> None:
        """Nothing to restore after a transaction: BEGIN is explicit on every one."""

    def begin(self, conn: sqlite3.Connection, write: bool) -> None:
        # IMMEDIATE takes the write lock at BEGIN, so two claimers serialise instead of deadlocking.
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    def adapt(self, value: Any) -> Any:
        return db_time(value) if isinstance(value, datetime) else value

    def adapt_to(self, preflight: Preflight) -> None:
        """Nothing to adapt: SQLite's tables are always this app's own."""

    def bind(self, cursor: sqlite3.Cursor, query: Query, values: Sequence[Any]) -> None:
        """sqlite3 types each value as it comes; there is nothing to declare."""

    def migration_batches(self, script: str, preflight: Preflight) -> list[str]:
        return [script]

    def is_transient(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)

    def unavailable_reason(self, exc: BaseException) -> str | None:
        if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError):
            return None
        message = str(exc).lower()
        return next((reason for fragment, reason in _UNAVAILABLE if fragment in message), None)

    @contextmanager
    def exclusive_session(self, lock_sql: str) -> Iterator[None]:
        """Nothing to hold: each migration file applies inside BEGIN IMMEDIATE, one writer at a time."""
        yield

    def after_migrations(self) -> None:
        """Move the migrations' pages from the WAL into the database file and cut the WAL back to
        nothing: left alone it would keep its several MB (WAL files are reused, not shrunk)."""
        conn = self.connect()
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # best effort: a busy reader just leaves it for later
        finally:
            conn.close()

    def run_script(self, conn: sqlite3.Connection, script: str) -> None:
        # executescript() would COMMIT the open transaction first, so statements run one by one.
        for statement in split_statements(script):
            if not _adds_existing_column(conn, statement):
                conn.execute(statement)

    # --- internals ---------------------------------------------------------------------------

    def _configure(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # negative: KiB, not pages
        return conn

    def _uri(self, mode: str) -> str:
        return f"file:{quote(str(self._file))}?mode={mode}"

    def _identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self._file)
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def _missing(self) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            f"the SQLite database {self.path} is missing or cannot be opened (was it deleted or moved?); "
            "the running app does not create a new one: restore the file, or restart to create an empty database",
            reason="the database file is missing",
        )


_ADD_COLUMN = re.compile(r"^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", re.IGNORECASE)


def _adds_existing_column(conn: sqlite3.Connection, statement: str) -> bool:
    """SQLite has no ADD COLUMN IF NOT EXISTS; this keeps a re-run migration a no-op, like T-SQL's COL_LENGTH check."""
    code = "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--"))
    match = _ADD_COLUMN.match(code)
    if match is None:
        return False
    table, column = match.groups()
    return any(row[1].lower() == column.lower() for row in conn.execute(f"PRAGMA table_info({table})"))


def split_statements(script: str) -> list[str]:
    """Whole statements, trigger bodies included, as SQLite's own tokenizer sees them."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip().strip(";").strip():
                statements.append(pending.strip())
            pending = ""
    code = "\n".join(line for line in pending.splitlines() if not line.lstrip().startswith("--")).strip()
    if code:
        if not sqlite3.complete_statement(code + ";"):
            raise ValueError(f"incomplete SQL statement: {code[:80]}")
        statements.append(code)
    return statements
