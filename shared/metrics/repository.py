"""Reads behind the metrics and usage endpoints, from the hourly rollups through named queries;
no SQL lives here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.db import Database, Transaction
from shared.metrics.windows import Window

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class MetricRows:
    jobs: Rows  # bucket, created, succeeded, failed, canceled
    timings: Rows  # bucket, metric (wait | run), bin, value_ms, n; in bin order
    models: Rows  # bucket, model, reports, gen_ms_sum


@dataclass(frozen=True)
class UsageRows:
    outcomes: Rows  # status (succeeded | failed), jobs
    models: Rows  # model, outcome, jobs, gen_count, gen_ms_sum, prompt_tokens, completion_tokens, jobs_with_usage
    gen_bins: Rows  # model, bin, value_ms, n; in bin order


class MetricsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def buckets(self, window: Window) -> MetricRows:
        params = window.hours

        def read(tx: Transaction) -> MetricRows:
            return MetricRows(
                tx.fetch_all("metrics_rollup_jobs", params), tx.fetch_all("metrics_rollup_timings", params), tx.fetch_all("metrics_rollup_models", params)
            )

        return self.db.run(read, write=False)

    def usage(self, window: Window) -> UsageRows:
        params = window.hours

        def read(tx: Transaction) -> UsageRows:
            return UsageRows(
                tx.fetch_all("usage_rollup_outcomes", params), tx.fetch_all("usage_rollup_models", params), tx.fetch_all("usage_rollup_gen", params)
            )

        return self.db.run(read, write=False)
