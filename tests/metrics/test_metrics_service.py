"""Metrics from a real SQLite database: buckets, percentiles from the rollups' bins (within the stated
bin error of the exact nearest rank), usage and cost per model."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from shared.db import Database
from shared.jobs.models import Status
from shared.metrics.histogram import BIN_RELATIVE_ERROR
from shared.metrics.prices import parse_model_prices
from shared.metrics.repository import MetricsRepository
from shared.metrics.service import MetricsService
from shared.metrics.windows import InvalidWindow, make_window
from tests.metrics.exact import MS, SECOND, assert_metrics_exact, assert_usage_exact, assert_within_bin, nearest_rank
from tests.metrics.jobs import add_timed_job

NOW = datetime(2026, 3, 10, 12, 30, 15, tzinfo=UTC)
THIS_HOUR = datetime(2026, 3, 10, 12, tzinfo=UTC)


def service(db: Database, prices: str = "{}") -> MetricsService:
    return MetricsService(MetricsRepository(db), parse_model_prices(prices), clock=lambda: NOW)


def test_windows_are_whole_utc_buckets_ending_with_the_current_one() -> None:
    day = make_window("24h", None, NOW)
    assert (day.bucket, day.count) == ("hour", 24)
    assert day.until == THIS_HOUR + timedelta(hours=1) and day.starts()[-1] == THIS_HOUR
    week = make_window("7d", None, NOW)
    assert (week.bucket, week.count) == ("day", 7)
    assert week.starts()[-1] == datetime(2026, 3, 10, tzinfo=UTC) and week.since == datetime(2026, 3, 4, tzinfo=UTC)
    assert make_window("30d", "hour", NOW).count == 720
    by_day = make_window("24h", "day", NOW)  # the last 24 hours touch yesterday and today
    assert by_day.starts() == [datetime(2026, 3, 9, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC)]
    for bad in (("1y", None), ("7d", "week")):
        with pytest.raises(InvalidWindow):
            make_window(*bad, NOW)


def test_every_bin_reads_within_the_stated_error_of_the_values_it_holds(db: Database) -> None:
    conn = db.connector.connect()
    bins = [tuple(row) for row in conn.execute("SELECT bin, lower_ms, upper_ms, value_ms FROM exec_report_metrics_bins ORDER BY bin").fetchall()]
    conn.close()
    assert [row[0] for row in bins] == list(range(len(bins))) and all(a[2] == b[1] for a, b in pairwise(bins))
    assert bins[0][1:] == (-9000000000000000000, 1, 0.0)  # under 1 ms (or negative: clock skew) reads as 0
    assert bins[-1][1] >= 3 * 365 * 86_400_000  # the catch-all last bin starts beyond 3 years
    for _, lower, upper, value in bins[1:-1]:
        for held in (lower, upper - 1):  # the worst cases are the bin's ends
            assert abs(value - held) <= held * BIN_RELATIVE_ERROR * (1 + 1e-12)


def test_percentiles_per_bucket_are_the_nearest_rank_within_the_bin_error(db: Database) -> None:
    rng = random.Random(8)
    expected: dict[int, dict[str, list[float]]] = {}
    for hours_ago in (0, 1, 5):
        bucket = expected.setdefault(23 - hours_ago, {"wait": [], "run": []})
        for _ in range(rng.randint(1, 60)):
            created = THIS_HOUR - timedelta(hours=hours_ago) + timedelta(seconds=rng.randint(0, 1799))
            wait, run = round(rng.uniform(0.5, 300), 3), round(rng.uniform(1, 40), 3)
            status = rng.choice((Status.SUCCEEDED, Status.SUCCEEDED, Status.FAILED))
            add_timed_job(db, created, status, wait, run)
            bucket["wait"].append(wait)
            bucket["run"].append(run)
        # Jobs that never started, or were canceled while running, have no processing time.
        add_timed_job(db, THIS_HOUR - timedelta(hours=hours_ago), Status.QUEUED)
        add_timed_job(db, THIS_HOUR - timedelta(hours=hours_ago), Status.CANCELED, wait=2.0, run=9999.0)
        bucket["wait"].append(2.0)

    metrics = service(db).metrics("24h", "hour")
    timings = metrics.timings
    for index, values in expected.items():
        for percent in (50, 95):
            assert_within_bin(timings[f"wait_p{percent}"][index], nearest_rank(values["wait"], percent), SECOND)
            assert_within_bin(timings[f"run_p{percent}"][index], nearest_rank(values["run"], percent), SECOND)
    assert timings["wait_p50"][2] is None and timings["run_p95"][20] is None  # buckets without jobs
    assert_metrics_exact(db, metrics)


def test_twenty_waits_of_one_to_twenty_seconds_read_as_about_10_and_19(db: Database) -> None:
    for seconds in range(20, 0, -1):
        add_timed_job(db, THIS_HOUR, Status.SUCCEEDED, wait=float(seconds), run=1.0)
    timings = service(db).metrics("24h", "hour").timings
    assert_within_bin(timings["wait_p50"][-1], 10.0, SECOND)
    assert_within_bin(timings["wait_p95"][-1], 19.0, SECOND)
    assert timings["wait_p50"][-1] < timings["wait_p95"][-1]  # 10 s and 19 s land in different bins


def test_counts_and_success_rate_per_bucket_stay_inside_the_window(db: Database) -> None:
    window = make_window("24h", "hour", NOW)
    add_timed_job(db, window.since, Status.SUCCEEDED, 1, 1)  # the first instant belongs to the first bucket
    add_timed_job(db, window.since - timedelta(milliseconds=1), Status.FAILED, 1, 1)  # before the window
    add_timed_job(db, window.until, Status.FAILED, 1, 1)  # the end is exclusive
    for status in (Status.SUCCEEDED, Status.SUCCEEDED, Status.SUCCEEDED, Status.FAILED, Status.CANCELED, Status.RUNNING, Status.QUEUED):
        add_timed_job(
            db, THIS_HOUR + timedelta(minutes=5), status, 1 if status != Status.QUEUED else None, 1 if status in (Status.SUCCEEDED, Status.FAILED) else None
        )

    metrics = service(db).metrics("24h", "hour")
    assert metrics.counts["succeeded"][0] == 1 and metrics.counts["failed"][0] == 0
    assert (metrics.counts["created"][-1], metrics.counts["succeeded"][-1], metrics.counts["failed"][-1], metrics.counts["canceled"][-1]) == (7, 3, 1, 1)
    assert metrics.success_rate[-1] == 0.75 and metrics.success_rate[0] == 1.0 and metrics.success_rate[5] is None
    assert metrics.totals == {"created": 8, "succeeded": 4, "failed": 1, "canceled": 1, "success_rate": 0.8}


def test_day_buckets_and_average_generation_time_per_model(db: Database) -> None:
    today = datetime(2026, 3, 10, 1, tzinfo=UTC)
    add_timed_job(db, today, Status.SUCCEEDED, 1, 2, model="gpt-4o", gen_ms=1000)
    add_timed_job(db, today, Status.SUCCEEDED, 1, 2, model="gpt-4o", gen_ms=3000)
    add_timed_job(db, today - timedelta(days=2), Status.SUCCEEDED, 1, 2, model="gpt-4o-mini", gen_ms=500)

    metrics = service(db).metrics("7d", "day")
    by_model = {series.model: series for series in metrics.models}
    assert sorted(by_model) == ["gpt-4o", "gpt-4o-mini"]
    assert by_model["gpt-4o"].avg_gen_ms == [None] * 6 + [2000.0] and by_model["gpt-4o"].reports[-1] == 2
    assert by_model["gpt-4o-mini"].avg_gen_ms[4] == 500.0 and metrics.counts["succeeded"] == [0, 0, 0, 0, 1, 0, 2]


def test_usage_compares_models_with_tokens_cost_and_generation_percentiles(db: Database) -> None:
    created = THIS_HOUR - timedelta(days=1)
    for gen_ms in (100, 200, 300, 400):
        add_timed_job(db, created, Status.SUCCEEDED, 1, 1, model="gpt-4o-mini-2024-07-18", gen_ms=gen_ms, prompt_tokens=1_000_000, completion_tokens=500_000)
    add_timed_job(db, created, Status.SUCCEEDED, 1, 1, model="local-llama", gen_ms=50, prompt_tokens=10, completion_tokens=5)
    add_timed_job(db, created, Status.SUCCEEDED, 1, 1, model="gpt-4o", gen_ms=70)  # tokens not reported
    add_timed_job(db, created, Status.FAILED, 1, 1)  # failures store no snapshot: model not recorded
    add_timed_job(db, created, Status.CANCELED)  # canceled jobs are not compared
    add_timed_job(db, created - timedelta(days=8), Status.SUCCEEDED, 1, 1, model="gpt-4o", gen_ms=9)  # outside 7d

    usage = service(db, '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}, "gpt-4o": {"input": 2.5, "output": 10}}').usage("7d")
    by_model = {model.model: model for model in usage.models}
    mini = by_model["gpt-4o-mini-2024-07-18"]
    assert (mini.jobs, mini.succeeded, mini.success_rate, mini.gen_ms_avg) == (4, 4, 1.0, 250.0)
    assert_within_bin(mini.gen_ms_p50, 200, MS)
    assert_within_bin(mini.gen_ms_p95, 400, MS)
    assert (mini.prompt_tokens, mini.completion_tokens) == (4_000_000, 2_000_000)
    assert mini.cost == pytest.approx(4 * 0.15 + 2 * 0.6)  # the dated name takes gpt-4o-mini's price, not gpt-4o's
    assert by_model["gpt-4o"].cost == 0.0 and by_model["gpt-4o"].jobs_with_usage == 0
    assert by_model["local-llama"].cost is None
    unknown = by_model[None]
    assert (unknown.jobs, unknown.failed, unknown.success_rate, unknown.gen_ms_p50) == (1, 1, 0.0, None)
    assert usage.totals["jobs"] == 7 and usage.totals["success_rate"] == pytest.approx(6 / 7, abs=1e-4)
    assert usage.totals["cost"] == pytest.approx(1.8) and usage.totals["unpriced_models"] == ["local-llama"]
    assert usage.totals["total_tokens"] == 6_000_015
    assert_usage_exact(db, usage)


def test_usage_without_prices_has_no_cost(db: Database) -> None:
    add_timed_job(db, THIS_HOUR, Status.SUCCEEDED, 1, 1, model="gpt-4o", gen_ms=70, prompt_tokens=100, completion_tokens=10)
    usage = service(db).usage("24h")
    assert usage.models[0].cost is None and usage.totals["cost"] is None and usage.totals["unpriced_models"] == ["gpt-4o"]
