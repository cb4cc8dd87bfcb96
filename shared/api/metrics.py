"""GET /api/admin/metrics (series for the charts) and GET /api/admin/usage (LLM usage and cost by model)."""

from __future__ import annotations

from typing import Any

import azure.functions as func

from shared.api.endpoint import admin_endpoint
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z
from shared.http.requests import query_choice
from shared.http.responses import ApiError, json_response
from shared.metrics.service import Metrics, MetricsService, ModelUsage, Usage
from shared.metrics.windows import BUCKETS, RANGES, InvalidWindow, Window

CURRENCY = "USD"


def service() -> MetricsService:
    return get_context().services.metrics


def _range(req: func.HttpRequest, default: str) -> str:
    return query_choice(req, "range", tuple(RANGES)) or default


def _metrics(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    range_name = _range(req, "24h")
    bucket = query_choice(req, "bucket", tuple(BUCKETS))
    try:
        metrics = service().metrics(range_name, bucket)
    except InvalidWindow as err:
        raise ApiError(400, "invalid_parameter", str(err)) from None
    return json_response({"ok": True, **metrics_json(metrics)})


def _usage(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    return json_response({"ok": True, **usage_json(service().usage(_range(req, "7d")))})


def window_json(window: Window) -> dict[str, Any]:
    return {"range": window.range, "bucket": window.bucket, "since": iso_z(window.since), "until": iso_z(window.until)}


def metrics_json(metrics: Metrics) -> dict[str, Any]:
    return {
        **window_json(metrics.window),
        "buckets": [iso_z(start) for start in metrics.window.starts()],
        "series": {
            **metrics.counts,
            "success_rate": metrics.success_rate,
            "queue_wait_p50_seconds": metrics.timings["wait_p50"],
            "queue_wait_p95_seconds": metrics.timings["wait_p95"],
            "processing_p50_seconds": metrics.timings["run_p50"],
            "processing_p95_seconds": metrics.timings["run_p95"],
        },
        "models": [{"model": series.model, "avg_gen_ms": series.avg_gen_ms, "reports": series.reports} for series in metrics.models],
        "totals": metrics.totals,
    }


def model_usage_json(usage: ModelUsage) -> dict[str, Any]:
    return {
        "model": usage.model,
        "jobs": usage.jobs,
        "succeeded": usage.succeeded,
        "failed": usage.failed,
        "success_rate": usage.success_rate,
        "gen_ms_p50": usage.gen_ms_p50,
        "gen_ms_p95": usage.gen_ms_p95,
        "gen_ms_avg": usage.gen_ms_avg,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
        "jobs_with_usage": usage.jobs_with_usage,
        "cost": usage.cost,
    }


def usage_json(usage: Usage) -> dict[str, Any]:
    window = window_json(usage.window)
    del window["bucket"]
    return {**window, "currency": CURRENCY, "models": [model_usage_json(model) for model in usage.models], "totals": usage.totals}


handle_metrics = admin_endpoint(read=_metrics)
handle_usage = admin_endpoint(read=_usage)
