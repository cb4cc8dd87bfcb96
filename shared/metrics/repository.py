"""Reads behind the metrics and usage endpoints, through named queries; no SQL lives here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.db import Database, Transaction
from shared.metrics.windows import Window


@dataclass(frozen=True)
class MetricRows:
    jobs: list[dict[str, Any]]  # one row per bucket that has jobs
    models: list[dict[str, Any]]  # one row per bucket and model that has reports


class MetricsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def buckets(self, window: Window) -> MetricRows:
        params = {"since": window.since, "until": window.until, "bucket_seconds": window.bucket_seconds}

        def read(tx: Transaction) -> MetricRows:
            return MetricRows(tx.fetch_all("metrics_job_buckets", params), tx.fetch_all("metrics_model_buckets", params))

        return self.db.run(read, write=False)

    def usage_by_model(self, window: Window) -> list[dict[str, Any]]:
        return self.db.fetch_all("usage_by_model", {"since": window.since, "until": window.until})
