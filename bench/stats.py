"""Latency distributions: percentiles over many timed calls, measured after a warm-up."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

WARMUP = 20
SAMPLES = 200


@dataclass(frozen=True)
class Distribution:
    n: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Distribution:
        cuts = statistics.quantiles(seconds, n=100, method="inclusive")
        return cls(len(seconds), cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000, max(seconds) * 1000)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "p50_ms": round(self.p50_ms, 3), "p95_ms": round(self.p95_ms, 3), "p99_ms": round(self.p99_ms, 3), "max_ms": round(self.max_ms, 3)}


def time_calls(call: Callable[[int], object], samples: int = SAMPLES, warmup: int = WARMUP) -> Distribution:
    """Call `call(i)` `warmup` times untimed, then `samples` times timed one by one."""
    for i in range(warmup):
        call(i)
    seconds: list[float] = []
    for i in range(samples):
        started = time.perf_counter()
        call(i)
        seconds.append(time.perf_counter() - started)
    return Distribution.of(seconds)
