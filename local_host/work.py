"""Counts the HTTP requests and timer runs in progress, so shutdown can wait for them to end."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class WorkTracker:
    def __init__(self) -> None:
        self._active = 0
        self._changed = threading.Condition()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._changed:
            self._active += 1
        try:
            yield
        finally:
            with self._changed:
                self._active -= 1
                self._changed.notify_all()

    def wait_idle(self, timeout: float) -> int:
        """Wait until nothing runs or `timeout` passes; how many are still running."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._active and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return self._active
