"""Metrics over a window: job outcomes and timing per bucket, generation time per model, and
LLM usage and cost per model. Shapes are columnar (one list per series) as charts consume them.

Counts, sums, averages and tokens are exact; percentiles come from the rollups' log-scale bins and
are within histogram.BIN_RELATIVE_ERROR (1/11) of the exact nearest-rank value."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.clock import utc_now
from shared.metrics.histogram import Bins, percentile
from shared.metrics.prices import ModelPrices, price_for
from shared.metrics.repository import MetricsRepository, Rows
from shared.metrics.windows import Window, make_window

COUNT_SERIES = ("created", "succeeded", "failed", "canceled")
DECIDED = ("succeeded", "failed")
TIMING_SERIES = ("wait_p50", "wait_p95", "run_p50", "run_p95")


def success_rate(succeeded: int, failed: int) -> float | None:
    """Succeeded out of the jobs that reached an outcome; canceled and unfinished jobs are left out."""
    decided = succeeded + failed
    return round(succeeded / decided, 4) if decided else None


def _number(value: Any, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _seconds(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else round(milliseconds / 1000, 3)


@dataclass
class _ModelTotals:
    """What the rollups hold for one model over the window, summed over its hours."""

    jobs: int = 0
    by_outcome: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DECIDED, 0))
    gen_count: int = 0
    gen_ms_sum: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    jobs_with_usage: int = 0
    gen_bins: Bins = field(default_factory=list)

    def add(self, row: dict[str, Any]) -> None:
        jobs = int(row["jobs"])
        self.jobs += jobs
        self.by_outcome[row["outcome"]] += jobs
        self.gen_count += int(row["gen_count"])
        self.gen_ms_sum += int(row["gen_ms_sum"])
        self.prompt_tokens += int(row["prompt_tokens"])
        self.completion_tokens += int(row["completion_tokens"])
        self.jobs_with_usage += int(row["jobs_with_usage"])


@dataclass(frozen=True)
class ModelSeries:
    model: str
    avg_gen_ms: list[float | None]
    reports: list[int]


@dataclass(frozen=True)
class Metrics:
    window: Window
    counts: dict[str, list[int]]
    success_rate: list[float | None]
    timings: dict[str, list[float | None]]  # seconds
    models: list[ModelSeries]
    totals: dict[str, Any]


@dataclass(frozen=True)
class ModelUsage:
    model: str | None  # None: jobs whose model was not recorded (failures store no snapshot)
    jobs: int
    succeeded: int
    failed: int
    gen_ms_p50: int | None
    gen_ms_p95: int | None
    gen_ms_avg: float | None
    prompt_tokens: int
    completion_tokens: int
    jobs_with_usage: int
    cost: float | None  # None: no price for this model

    @property
    def success_rate(self) -> float | None:
        return success_rate(self.succeeded, self.failed)


@dataclass(frozen=True)
class Usage:
    window: Window
    models: list[ModelUsage]
    totals: dict[str, Any]


class MetricsService:
    def __init__(self, repo: MetricsRepository, prices: ModelPrices, clock: Callable[[], datetime] = utc_now) -> None:
        self.repo = repo
        self.prices = prices
        self.clock = clock

    def metrics(self, range_name: str, bucket_name: str | None) -> Metrics:
        window = make_window(range_name, bucket_name, self.clock())
        rows = self.repo.buckets(window)
        counts = {name: [0] * window.count for name in COUNT_SERIES}
        for row in rows.jobs:
            index = window.position(int(row["bucket"]))
            if index is not None:
                for name in COUNT_SERIES:
                    counts[name][index] = int(row[name])
        totals: dict[str, Any] = {name: sum(values) for name, values in counts.items()}
        totals["success_rate"] = success_rate(totals["succeeded"], totals["failed"])
        return Metrics(
            window=window,
            counts=counts,
            success_rate=[success_rate(s, f) for s, f in zip(counts["succeeded"], counts["failed"], strict=True)],
            timings=self._timings(window, rows.timings),
            models=self._model_series(window, rows.models),
            totals=totals,
        )

    @staticmethod
    def _timings(window: Window, rows: Rows) -> dict[str, list[float | None]]:
        bins: dict[tuple[int, str], Bins] = defaultdict(list)
        for row in rows:
            index = window.position(int(row["bucket"]))
            if index is not None:
                bins[(index, row["metric"])].append((float(row["value_ms"]), int(row["n"])))
        timings: dict[str, list[float | None]] = {name: [None] * window.count for name in TIMING_SERIES}
        for (index, metric), values in bins.items():
            for percent in (50, 95):
                timings[f"{metric}_p{percent}"][index] = _seconds(percentile(values, percent))
        return timings

    @staticmethod
    def _model_series(window: Window, rows: Rows) -> list[ModelSeries]:
        by_model: dict[str, ModelSeries] = {}
        for row in rows:
            index = window.position(int(row["bucket"]))
            if index is None:
                continue
            series = by_model.setdefault(row["model"], ModelSeries(row["model"], [None] * window.count, [0] * window.count))
            series.avg_gen_ms[index] = round(int(row["gen_ms_sum"]) / int(row["reports"]), 1)
            series.reports[index] = int(row["reports"])
        return sorted(by_model.values(), key=lambda series: series.model)

    def usage(self, range_name: str) -> Usage:
        window = make_window(range_name, None, self.clock())
        rows = self.repo.usage(window)
        by_model: dict[str, _ModelTotals] = defaultdict(_ModelTotals)
        for row in rows.models:
            by_model[row["model"]].add(row)
        for row in rows.gen_bins:
            by_model[row["model"]].gen_bins.append((float(row["value_ms"]), int(row["n"])))
        # Jobs without a snapshot (failures store none) are the outcome counts less those with one.
        for row in rows.outcomes:
            outcome = row["status"]
            missing = int(row["jobs"]) - sum(totals.by_outcome[outcome] for totals in by_model.values())
            if missing > 0:
                unknown = by_model[""]
                unknown.jobs += missing
                unknown.by_outcome[outcome] += missing
        models = sorted(
            (self._model_usage(name, totals) for name, totals in by_model.items() if totals.jobs > 0), key=lambda model: (-model.jobs, model.model or "")
        )
        priced = [model for model in models if model.cost is not None]
        prompt = sum(model.prompt_tokens for model in models)
        completion = sum(model.completion_tokens for model in models)
        succeeded = sum(model.succeeded for model in models)
        failed = sum(model.failed for model in models)
        totals = {
            "jobs": succeeded + failed,
            "succeeded": succeeded,
            "failed": failed,
            "success_rate": success_rate(succeeded, failed),
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "cost": round(sum(model.cost or 0.0 for model in priced), 6) if priced else None,
            "unpriced_models": [model.model for model in models if model.cost is None and model.model and model.jobs_with_usage],
        }
        return Usage(window, models, totals)

    def _model_usage(self, name: str, totals: _ModelTotals) -> ModelUsage:
        model = name or None
        price = price_for(self.prices, model)
        p50, p95 = percentile(totals.gen_bins, 50), percentile(totals.gen_bins, 95)
        return ModelUsage(
            model=model,
            jobs=totals.jobs,
            succeeded=totals.by_outcome["succeeded"],
            failed=totals.by_outcome["failed"],
            gen_ms_p50=None if p50 is None else round(p50),
            gen_ms_p95=None if p95 is None else round(p95),
            gen_ms_avg=round(totals.gen_ms_sum / totals.gen_count, 1) if totals.gen_count else None,
            prompt_tokens=totals.prompt_tokens,
            completion_tokens=totals.completion_tokens,
            jobs_with_usage=totals.jobs_with_usage,
            cost=round(price.cost(totals.prompt_tokens, totals.completion_tokens), 6) if price and model else None,
        )
