"""A bounded pool of database connections, shared by every thread of a process.

The Functions host and the local host start threads freely (one per HTTP request, several per worker
pass), so no connection belongs to a thread: a transaction checks one out and gives it back when it
ends. The pool owns every connection it opens and keeps at most `max_size` of them, idle or in use.

- Checkout takes the most recently used idle connection (so surplus ones age out), after a health
  check: the connector's own check (SQLite: is the file still the one this connection opened?) and,
  for a connection idle longer than PING_AFTER_IDLE_SECONDS, a round trip. A failed check closes that
  connection and tries the next one, or a new one.
- A connection older than `max_age_seconds` is closed instead of reused: servers and proxies drop
  long-lived sessions, and an Entra access token sent at login expires (after at least an hour).
- When all `max_size` are in use, checkout waits up to `wait_seconds`, then raises
  DatabaseUnavailable: callers answer 503 instead of queuing without bound.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from shared.db.errors import DatabaseUnavailable

# HikariCP skips its liveness query for connections used within the last 500 ms; a few seconds is
# plenty here, where a failed query is retried on a fresh connection anyway.
PING_AFTER_IDLE_SECONDS = 5.0


class PoolConnector(Protocol):
    def connect(self) -> Any: ...
    def check(self, conn: Any, ping: bool) -> None: ...


@dataclass
class Pooled:
    conn: Any
    opened_at: float
    returned_at: float
    broken: bool = False

    def discard(self) -> None:
        """Close this connection when it is given back instead of reusing it."""
        self.broken = True


@dataclass(frozen=True)
class PoolStats:
    open: int  # idle + in use
    idle: int
    in_use: int
    max_size: int
    opened_total: int  # since the pool was made: a number that keeps rising means connections churn


class ConnectionPool:
    def __init__(
        self,
        connector: PoolConnector,
        max_size: int = 10,
        max_age_seconds: float = 1800.0,
        wait_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.connector = connector
        self.max_size, self.max_age_seconds, self.wait_seconds = max_size, max_age_seconds, wait_seconds
        self._clock = clock
        self._idle: list[Pooled] = []
        self._open = 0
        self._opened_total = 0
        self._closed = False
        self._changed = threading.Condition()

    @contextmanager
    def connection(self) -> Iterator[Pooled]:
        pooled = self.checkout()
        try:
            yield pooled
        finally:
            self.checkin(pooled)

    def checkout(self) -> Pooled:
        deadline = self._clock() + self.wait_seconds
        while True:
            pooled = self._take_idle_or_reserve(deadline)
            if pooled is None:
                return self._open_new()
            if self._healthy(pooled):
                return pooled
            self._close(pooled)

    def checkin(self, pooled: Pooled) -> None:
        now = self._clock()
        if pooled.broken or self._closed or now - pooled.opened_at >= self.max_age_seconds:
            self._close(pooled)
            return
        pooled.returned_at = now
        with self._changed:
            self._idle.append(pooled)
            self._changed.notify()

    def stats(self) -> PoolStats:
        with self._changed:
            return PoolStats(self._open, len(self._idle), self._open - len(self._idle), self.max_size, self._opened_total)

    def close(self) -> None:
        """Close the idle connections now and the ones in use when they come back."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
        for pooled in idle:
            self._close(pooled)

    def reopen(self) -> None:
        """Allow checkouts again after close() (tests and hosts that reset their context)."""
        with self._changed:
            self._closed = False

    # --- internals ---------------------------------------------------------------------------

    def _take_idle_or_reserve(self, deadline: float) -> Pooled | None:
        """An idle connection, or None after reserving a slot for a new one; waits while all are in use."""
        with self._changed:
            while True:
                if self._idle:
                    return self._idle.pop()
                if self._open < self.max_size:
                    self._open += 1
                    return None
                left = deadline - self._clock()
                if left <= 0:
                    raise DatabaseUnavailable(
                        f"all {self.max_size} database connections stayed in use for {self.wait_seconds:g} s (DB_POOL_SIZE)",
                        reason="too busy",
                    )
                self._changed.wait(left)

    def _open_new(self) -> Pooled:
        try:
            conn = self.connector.connect()
        except BaseException:
            self._release_slot()
            raise
        now = self._clock()
        with self._changed:
            self._opened_total += 1
        return Pooled(conn, opened_at=now, returned_at=now)

    def _healthy(self, pooled: Pooled) -> bool:
        now = self._clock()
        if now - pooled.opened_at >= self.max_age_seconds:
            return False
        try:
            self.connector.check(pooled.conn, ping=now - pooled.returned_at > PING_AFTER_IDLE_SECONDS)
        except Exception:
            return False
        return True

    def _close(self, pooled: Pooled) -> None:
        with contextlib.suppress(Exception):  # a broken connection may fail to close; it is dropped anyway
            pooled.conn.close()
        self._release_slot()

    def _release_slot(self) -> None:
        with self._changed:
            self._open -= 1
            self._changed.notify()
