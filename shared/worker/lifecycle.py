"""Process-wide stop signal: the local host calls request_stop() on Ctrl-C.

Passes then stop claiming, abandon in-flight model calls and release the jobs they hold, so no job
is left running. Azure ends a worker process on its own terms; this is for hosts we control.
"""

from __future__ import annotations

import threading

_stop = threading.Event()


def request_stop() -> None:
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


def wait_for_stop(seconds: float) -> bool:
    """Sleep up to `seconds`, waking early (True) when a stop is requested."""
    return _stop.wait(seconds)


def reset() -> None:
    """Allow passes again (tests, or a host that restarts its worker in-process)."""
    _stop.clear()
