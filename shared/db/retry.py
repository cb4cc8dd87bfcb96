"""How long to wait before retrying a transient database fault, and when to stop.

Azure SQL's guidance for transient faults (failover, reconfiguration, serverless resume, error
40613): wait at least 5 seconds before the first retry, grow the delay exponentially up to about 60
seconds, and retry a failed command on a freshly established connection, since most such events
finish within 60 seconds (learn.microsoft.com/azure/azure-sql/database/troubleshoot-common-connectivity-issues).
SQLite's only transient fault is a busy lock, which clears in milliseconds.

Every retry stays within the caller's budget: an API request gives up after API_BUDGET_SECONDS and
answers 503 with Retry-After, while the worker, which has minutes, rides out a whole failover.
"""

from __future__ import annotations

import contextvars
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

API_BUDGET_SECONDS = 12.0  # one retry after ~5 s, and the reply still comes well inside a browser's patience
DEFAULT_BUDGET_SECONDS = 150.0  # 5 + 10 + 20 + 40 s of waiting, plus the attempts themselves
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("database_retry_deadline", default=None)


@dataclass(frozen=True)
class RetryPolicy:
    delays: tuple[float, ...]  # before the 1st, 2nd, ... retry; the number of retries is their count
    jitter: float = 0.2  # each delay is spread by +-20%, so instances that failed together retry apart

    def delay(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        return self.delays[retry] * (1 - self.jitter + 2 * self.jitter * rand())


AZURE_SQL = RetryPolicy((5.0, 10.0, 20.0, 40.0))
SQLITE = RetryPolicy((0.05, 0.1, 0.2, 0.4, 0.8), jitter=0.5)


@contextmanager
def budget(seconds: float, clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Retries inside this block end by `seconds` from now (an inner block never extends an outer one)."""
    outer = _deadline.get()
    deadline = clock() + seconds
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


def time_left(clock: Callable[[], float] = time.monotonic) -> float:
    deadline = _deadline.get()
    return DEFAULT_BUDGET_SECONDS if deadline is None else deadline - clock()
