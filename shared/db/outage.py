"""One log line when the database becomes unavailable and one when it is back, not one per request.

During an outage every request and worker step fails the same way; a traceback for each would bury
the one line that matters. The first failure logs an error with its cause, later ones log at debug
level, and the first success after them logs how long the outage lasted.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("shared.db")


class OutageLog:
    def __init__(self) -> None:
        self._since: float | None = None  # monotonic time of the first failure, while one lasts
        self._failures = 0
        self._lock = threading.Lock()

    @property
    def in_outage(self) -> bool:
        return self._since is not None

    def failed(self, message: str) -> None:
        with self._lock:
            first = self._since is None
            if first:
                self._since = time.monotonic()
            self._failures += 1
        if first:
            log.error("database unavailable: %s", message)
        else:
            log.debug("database still unavailable: %s", message)

    def succeeded(self) -> None:
        if self._since is None:  # the common case, read without the lock
            return
        with self._lock:
            if self._since is None:
                return
            lasted, failures = time.monotonic() - self._since, self._failures
            self._since, self._failures = None, 0
        log.warning("database available again after %.1f s (%d failed call(s) meanwhile)", lasted, failures)
