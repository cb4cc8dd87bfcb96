"""The metrics worked out exactly, in Python, from the stored job and snapshot rows: what the rollups
must agree with (counts, sums and averages exactly, percentiles within the stated bin error)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from shared.clock import as_utc
from shared.db import Database
from shared.jobs.models import Status
from shared.metrics.histogram import BIN_RELATIVE_ERROR
from shared.metrics.service import Metrics, Usage
from shared.metrics.windows import Window

SECOND = 0.001  # one ms in the unit the API gives queue wait and processing time in
MS = 1.0  # and generation time


def nearest_rank(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(percent / 100 * len(ordered)) - 1]


def assert_within_bin(actual: float | None, exact: float | None, one_ms: float, what: object = "") -> None:
    """A percentile read off the bins: within the bin error of the exact one (plus the API's rounding
    to whole ms), or 0 when the exact one is under 1 ms."""
    if exact is None or exact < one_ms:
        assert actual == (None if exact is None else 0), what
        return
    assert actual is not None, what
    assert abs(actual - exact) <= exact * BIN_RELATIVE_ERROR * (1 + 1e-9) + one_ms / 2, (what, actual, exact)


@dataclass(frozen=True)
class Row:
    job: dict[str, Any]
    snapshots: list[dict[str, Any]]


def _rows(db: Database) -> list[Row]:
    conn = db.connector.connect()
    try:
        conn.row_factory = lambda cursor, values: dict(zip([c[0] for c in cursor.description], values, strict=True))
        snapshots: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for snapshot in conn.execute("SELECT * FROM exec_report_snapshots WHERE job_id IS NOT NULL"):
            snapshots[snapshot["job_id"]].append(snapshot)
        return [Row(job, snapshots[job["job_id"]]) for job in conn.execute("SELECT * FROM exec_report_jobs")]
    finally:
        conn.close()


def _seconds(later: Any, earlier: Any) -> float | None:
    if later is None or earlier is None:
        return None
    return max((as_utc(later) - as_utc(earlier)).total_seconds(), 0.0)  # type: ignore[operator]


def _index(window: Window, row: Row) -> int | None:
    created = as_utc(row.job["created_at"])
    assert created is not None
    if not window.since <= created < window.until:
        return None
    return int((created - window.since).total_seconds()) // window.bucket_seconds


def assert_metrics_exact(db: Database, metrics: Metrics) -> None:
    window = metrics.window
    counts = {name: [0] * window.count for name in ("created", Status.SUCCEEDED, Status.FAILED, Status.CANCELED)}
    waits: list[list[float]] = [[] for _ in range(window.count)]
    runs: list[list[float]] = [[] for _ in range(window.count)]
    gen: dict[str, list[list[int]]] = defaultdict(lambda: [[] for _ in range(window.count)])
    for row in _rows(db):
        index = _index(window, row)
        if index is None:
            continue
        job = row.job
        counts["created"][index] += 1
        if job["status"] in counts:
            counts[job["status"]][index] += 1
        wait = _seconds(job["started_at"], job["created_at"])
        if wait is not None:
            waits[index].append(wait)
        run = _seconds(job["finished_at"], job["started_at"])
        if run is not None and job["status"] in (Status.SUCCEEDED, Status.FAILED):
            runs[index].append(run)
        for snapshot in row.snapshots:
            if snapshot["gen_model"] and snapshot["gen_ms"] is not None:
                gen[snapshot["gen_model"]][index].append(snapshot["gen_ms"])
    assert metrics.counts == counts
    for index in range(window.count):
        for name, values in (("wait", waits[index]), ("run", runs[index])):
            for percent in (50, 95):
                assert_within_bin(metrics.timings[f"{name}_p{percent}"][index], nearest_rank(values, percent), SECOND, (name, percent, index))
    assert [series.model for series in metrics.models] == sorted(gen)
    for series in metrics.models:
        assert series.reports == [len(values) for values in gen[series.model]]
        assert series.avg_gen_ms == [round(sum(values) / len(values), 1) if values else None for values in gen[series.model]]


def assert_usage_exact(db: Database, usage: Usage) -> None:
    by_model: dict[str | None, list[tuple[dict[str, Any], dict[str, Any] | None]]] = defaultdict(list)
    for row in _rows(db):
        if _index(usage.window, row) is None or row.job["status"] not in (Status.SUCCEEDED, Status.FAILED):
            continue
        for snapshot in row.snapshots or [None]:
            by_model[snapshot["gen_model"] if snapshot else None].append((row.job, snapshot))
    assert sorted(model.model or "" for model in usage.models) == sorted(model or "" for model in by_model)
    for model in usage.models:
        pairs = by_model[model.model]
        gen_ms = [snapshot["gen_ms"] for _, snapshot in pairs if snapshot and snapshot["gen_ms"] is not None]
        prompt = sum((snapshot or {}).get("prompt_tokens") or 0 for _, snapshot in pairs)
        completion = sum((snapshot or {}).get("completion_tokens") or 0 for _, snapshot in pairs)
        with_usage = sum(1 for _, s in pairs if s and (s["prompt_tokens"] is not None or s["completion_tokens"] is not None))
        assert (model.jobs, model.succeeded, model.failed) == (
            len(pairs),
            sum(job["status"] == Status.SUCCEEDED for job, _ in pairs),
            sum(job["status"] == Status.FAILED for job, _ in pairs),
        )
        assert (model.prompt_tokens, model.completion_tokens, model.jobs_with_usage) == (prompt, completion, with_usage)
        assert model.gen_ms_avg == (round(sum(gen_ms) / len(gen_ms), 1) if gen_ms else None)
        for percent in (50, 95):
            assert_within_bin(getattr(model, f"gen_ms_p{percent}"), nearest_rank(gen_ms, percent), MS, (model.model, percent))
