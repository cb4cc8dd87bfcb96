"""Percentiles from the rollups' log-scale bins (migration 0020's exec_report_metrics_bins).

Each bin reads as one value within BIN_RELATIVE_ERROR of every millisecond value it holds, so a
nearest-rank percentile read off bin counts is within that error of the exact one (or reads as 0
when the exact one is under 1 ms).
"""

from __future__ import annotations

from collections.abc import Iterable

# A bin spans whole milliseconds [lower, upper) with upper - 1 <= 1.2 * lower and reads as
# 2 * lower * (upper - 1) / (lower + upper - 1): off by at most (1.2 - 1) / (1.2 + 1) = 1/11.
BIN_RELATIVE_ERROR = 1 / 11

Bins = list[tuple[float, int]]  # (value_ms, count) in bin order


def percentile(bins: Iterable[tuple[float, int]], percent: int) -> float | None:
    """The nearest-rank percentile in ms: the value of the bin holding the ceil(p% of n)-th value."""
    bins = list(bins)
    total = sum(count for _, count in bins)
    if total <= 0:
        return None
    rank = -(-percent * total // 100)  # ceil in whole numbers, so no float rounds a rank
    seen = 0
    for value, count in bins:
        seen += count
        if seen >= rank:
            return value
    return bins[-1][0]
