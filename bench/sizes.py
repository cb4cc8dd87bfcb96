"""Which table sizes to measure (BENCH_SIZES) and where the cached databases and results live."""

from __future__ import annotations

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / ".cache"
RESULTS_DIR = BENCH_DIR / "results"

SIZES: dict[str, int] = {"tiny": 2_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_SIZES = ("10k", "100k", "1m")
LARGEST = "1m"  # the size the targets are stated for


class BadSizes(ValueError):
    pass


def chosen_sizes(raw: str | None = None) -> list[str]:
    """BENCH_SIZES, e.g. `tiny` or `10k,1m`; the default is all three real sizes."""
    raw = os.environ.get("BENCH_SIZES", "") if raw is None else raw
    names = [name.strip().lower() for name in raw.split(",") if name.strip()] or list(DEFAULT_SIZES)
    unknown = [name for name in names if name not in SIZES]
    if unknown:
        raise BadSizes(f"BENCH_SIZES: unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    return sorted(set(names), key=lambda name: SIZES[name])


def quick(sizes: list[str]) -> bool:
    """Only the tiny size: CI's smoke run, where the worker sections shrink too."""
    return all(SIZES[name] < SIZES["10k"] for name in sizes)
