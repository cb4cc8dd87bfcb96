"""The model's rate limits as its replies report them, shared by every job in this process.

Azure OpenAI and OpenAI send `x-ratelimit-remaining-requests` / `-tokens` (with `-limit-` and
`-reset-` companions) on every reply and `retry-after` on a 429
(learn.microsoft.com/azure/ai-services/openai/how-to/quota#understanding-rate-limits). When a reply
says the budget is nearly spent, or a 429 says to wait, every job here waits before its next call
rather than sending requests the endpoint will refuse.

"Nearly spent" counts the calls that may be on their way from every instance: the endpoint counts a
request when it arrives, so a reply's remaining budget already includes the calls in flight, but not
those that other instances start before they see the same header. Up to `reserve` such calls (the
jobs allowed to run at once) can be started, so the gate closes when no more than that is left.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from shared.clock import utc_now

log = logging.getLogger(__name__)
LOW_SHARE = 0.05  # "close to the limit": at most this share of the window's budget is left
LOW_REQUESTS = 1  # ... or at most this many requests, when the limit itself is not sent
LOW_TOKENS = 1000  # ... or at most this many tokens
RATE_LIMIT_HEADER_PREFIX = "x-ratelimit-"
# A reserve near the window's whole budget would pause the process after every reply; when the
# endpoint sends its limit, keep the reserve to half of it. Without a limit the reserve stands as is.
MAX_RESERVE_SHARE = 0.5
DEFAULT_PAUSE_SECONDS = 1.0  # when a low budget comes without a reset time
MAX_PAUSE_SECONDS = 60.0
_DURATION = re.compile(r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m(?!s))?(?:(?P<s>\d+(?:\.\d+)?)s)?(?:(?P<ms>\d+(?:\.\d+)?)ms)?$")


def parse_duration(value: str | None) -> float | None:
    """`x-ratelimit-reset-*` values: `1s`, `6m0s`, `20ms`, `1h2m3.5s`, or plain seconds."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    match = _DURATION.match(value)
    if not match or not any(match.groupdict().values()):
        return None
    parts = {key: float(number) for key, number in match.groupdict().items() if number}
    return parts.get("h", 0) * 3600 + parts.get("m", 0) * 60 + parts.get("s", 0) + parts.get("ms", 0) / 1000


def _number(headers: Mapping[str, str], name: str) -> float | None:
    """The header's count; None when absent, unreadable, or negative (Azure sends -1 for "not known")."""
    try:
        number = float(headers.get(name))  # type: ignore[arg-type]  # None raises TypeError: absent
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def low_budget_pause(headers: Mapping[str, str], reserve: int = 0) -> float | None:
    """Seconds to wait when the reply says requests or tokens are nearly spent; None when not.
    `reserve`: the requests that may still be started elsewhere before this reply's news spreads."""
    pauses = []
    for kind, least in (("requests", LOW_REQUESTS), ("tokens", LOW_TOKENS)):
        remaining = _number(headers, f"x-ratelimit-remaining-{kind}")
        if remaining is None:
            continue
        limit = _number(headers, f"x-ratelimit-limit-{kind}")
        floor = float(least)
        if kind == "requests" and reserve:
            floor = max(floor, min(reserve, limit * MAX_RESERVE_SHARE) if limit else reserve)
        if remaining <= max(floor, (limit or 0) * LOW_SHARE):
            pauses.append(parse_duration(headers.get(f"x-ratelimit-reset-{kind}")) or DEFAULT_PAUSE_SECONDS)
    return min(max(pauses), MAX_PAUSE_SECONDS) if pauses else None


class RateGate:
    """Until when this process holds back model calls, on the worker's clock (tests move it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: datetime | None = None

    def pause(self, now: datetime, seconds: float, why: str) -> None:
        seconds = min(max(seconds, 0.0), MAX_PAUSE_SECONDS)
        until = now + timedelta(seconds=seconds)
        with self._lock:
            if self._until is not None and until <= self._until:
                return
            self._until = until
        log.info("model calls paused for %.1f s: %s", seconds, why)

    def observe(self, headers: Mapping[str, str], now: datetime | None = None, reserve: int = 0) -> None:
        pause = low_budget_pause(headers, reserve)
        if pause is not None:
            self.pause(now or utc_now(), pause, "the model's rate-limit headers say its budget is nearly spent")

    def reset(self) -> None:
        """Forget any pause (tests: one test's 429 must not hold back the next)."""
        with self._lock:
            self._until = None

    def wait_seconds(self, now: datetime) -> float:
        with self._lock:
            return max((self._until - now).total_seconds(), 0.0) if self._until else 0.0


GATE = RateGate()  # one per process: every job here shares the endpoint's budget
