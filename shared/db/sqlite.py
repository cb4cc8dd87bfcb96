"""SQLite connector: the embedded default for laptops and tests (stdlib sqlite3)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.clock import db_time

if TYPE_CHECKING:
    from shared.db.preflight import Preflight
    from shared.db.queries import Query

BUSY_TIMEOUT_MS = 3000


class SqliteConnector:
    dialect = "sqlite"
    migrates_at_startup = True  # the app's own embedded file: nobody else runs its migrations

    def __init__(self, path: str) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN ourselves, so writers can take the lock up front.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

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

    def is_unavailable(self, exc: BaseException) -> bool:
        message = str(exc)
        return isinstance(exc, sqlite3.OperationalError) and (
            "unable to open" in message or "disk I/O" in message or "locked" in message or "readonly" in message
        )

    def run_script(self, conn: sqlite3.Connection, script: str) -> None:
        # executescript() would COMMIT the open transaction first, so statements run one by one.
        for statement in split_statements(script):
            conn.execute(statement)


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
