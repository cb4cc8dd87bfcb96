"""Metrics over a window: job outcomes and timing per bucket, generation time per model, and
LLM usage and cost per model. Shapes are columnar (one list per series) as charts consume them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.clock import utc_now
from shared.metrics.prices import ModelPrices, price_for
from shared.metrics.repository import MetricsRepository
from shared.metrics.windows import Window, make_window

COUNT_SERIES = ("created", "succeeded", "failed", "canceled")
TIMING_SERIES = ("wait_p50", "wait_p95", "run_p50", "run_p95")


def success_rate(succeeded: int, failed: int) -> float | None:
    """Succeeded out of the jobs that reached an outcome; canceled and unfinished jobs are left out."""
    decided = succeeded + failed
    return round(succeeded / decided, 4) if decided else None


def _number(value: Any, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


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
        timings: dict[str, list[float | None]] = {name: [None] * window.count for name in TIMING_SERIES}
        for row in rows.jobs:
            index = window.position(int(row["bucket"]))
            if index is None:
                continue
            for name in COUNT_SERIES:
                counts[name][index] = int(row[name] or 0)
            for name in TIMING_SERIES:
                timings[name][index] = _number(row[name])
        by_model: dict[str, ModelSeries] = {}
        for row in rows.models:
            index = window.position(int(row["bucket"]))
            if index is None:
                continue
            series = by_model.setdefault(row["model"], ModelSeries(row["model"], [None] * window.count, [0] * window.count))
            series.avg_gen_ms[index] = _number(row["avg_gen_ms"], 1)
            series.reports[index] = int(row["reports"])
        totals = {name: sum(values) for name, values in counts.items()}
        totals["success_rate"] = success_rate(totals["succeeded"], totals["failed"])
        return Metrics(
            window=window,
            counts=counts,
            success_rate=[success_rate(s, f) for s, f in zip(counts["succeeded"], counts["failed"], strict=True)],
            timings=timings,
            models=sorted(by_model.values(), key=lambda series: series.model),
            totals=totals,
        )

    def usage(self, range_name: str) -> Usage:
        window = make_window(range_name, None, self.clock())
        models = [self._model_usage(row) for row in self.repo.usage_by_model(window)]
        priced = [model for model in models if model.cost is not None]
        prompt = sum(model.prompt_tokens for model in models)
        completion = sum(model.completion_tokens for model in models)
        succeeded = sum(model.succeeded for model in models)
        failed = sum(model.failed for model in models)
        totals = {
            "jobs": succeeded + failed, "succeeded": succeeded, "failed": failed, "success_rate": success_rate(succeeded, failed),
            "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
            "cost": round(sum(model.cost or 0.0 for model in priced), 6) if priced else None,
            "unpriced_models": [model.model for model in models if model.cost is None and model.model and model.jobs_with_usage],
        }
        return Usage(window, models, totals)

    def _model_usage(self, row: dict[str, Any]) -> ModelUsage:
        model = row["model"] or None
        prompt, completion = int(row["prompt_tokens"] or 0), int(row["completion_tokens"] or 0)
        price = price_for(self.prices, model)
        return ModelUsage(
            model=model, jobs=int(row["jobs"]), succeeded=int(row["succeeded"] or 0), failed=int(row["failed"] or 0),
            gen_ms_p50=None if row["gen_ms_p50"] is None else int(row["gen_ms_p50"]),
            gen_ms_p95=None if row["gen_ms_p95"] is None else int(row["gen_ms_p95"]),
            gen_ms_avg=_number(row["gen_ms_avg"], 1),
            prompt_tokens=prompt, completion_tokens=completion, jobs_with_usage=int(row["jobs_with_usage"] or 0),
            cost=round(price.cost(prompt, completion), 6) if price and model else None,
        )
