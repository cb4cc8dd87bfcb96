"""/api/admin/metrics, /api/admin/usage and /api/admin/health through the real function objects."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from shared.app_context import get_context, reset_context
from shared.clock import utc_now
from shared.jobs.models import Status
from shared.jobs.repository import GeneratedReport, JobsRepository
from shared.worker.runner import run_manual_pass
from tests.api.conftest import AUTH, call, jobs, principal
from tests.api.openapi_check import assert_matches_document
from tests.metrics.exact import SECOND, assert_within_bin
from tests.support.jobs import add_job, add_timed_job

PRICES = '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}'
ROUTES = {"admin_metrics": "admin/metrics", "admin_usage": "admin/usage", "admin_health": "admin/health"}


def get(name: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None):
    return call(name, "GET", params, headers if headers is not None else AUTH, route=ROUTES[name])


@pytest.fixture
def priced(app_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MODEL_PRICES", PRICES)
    reset_context()
    return app_db_path


def seed(created_hours_ago: float = 2) -> None:
    db = get_context().db
    created = utc_now() - timedelta(hours=created_hours_ago)
    add_timed_job(db, created, Status.SUCCEEDED, 30, 12, model="gpt-4o-mini", gen_ms=9000, prompt_tokens=2000, completion_tokens=500)
    add_timed_job(db, created, Status.SUCCEEDED, 90, 20, model="gpt-4o", gen_ms=15000, prompt_tokens=3000, completion_tokens=800)
    add_timed_job(db, created, Status.FAILED, 60, 5)


def test_metrics_reply_has_one_value_per_bucket_and_matches_the_document(priced: Path) -> None:
    seed()
    reply = get("admin_metrics")
    assert reply.status == 200 and reply.headers["Cache-Control"] == "no-store"
    body = reply.body
    assert (body["range"], body["bucket"], len(body["buckets"])) == ("24h", "hour", 24)
    assert all(len(values) == 24 for values in body["series"].values())
    assert body["totals"] == {"created": 3, "succeeded": 2, "failed": 1, "canceled": 0, "success_rate": 0.6667}
    assert sum(body["series"]["succeeded"]) == 2
    assert_within_bin(max(body["series"]["queue_wait_p95_seconds"], key=lambda v: v or 0), 90, SECOND)  # read off the bins
    assert sorted(model["model"] for model in body["models"]) == ["gpt-4o", "gpt-4o-mini"]
    assert_matches_document("/api/admin/metrics", "GET", 200, body)
    week = get("admin_metrics", {"range": "30d", "bucket": "hour"}).body
    assert len(week["buckets"]) == 720 and week["bucket"] == "hour"
    assert_matches_document("/api/admin/metrics", "GET", 200, week)


def test_usage_compares_models_with_cost_from_model_prices(priced: Path) -> None:
    seed(created_hours_ago=30)
    reply = get("admin_usage", {"range": "7d"})
    assert reply.status == 200
    assert_matches_document("/api/admin/usage", "GET", 200, reply.body)
    models = {model["model"]: model for model in reply.body["models"]}
    assert models["gpt-4o-mini"]["cost"] == pytest.approx((2000 * 0.15 + 500 * 0.6) / 1e6)
    assert models["gpt-4o"]["cost"] is None and models[None]["failed"] == 1
    assert reply.body["totals"]["unpriced_models"] == ["gpt-4o"] and reply.body["currency"] == "USD"
    assert get("admin_usage", {"range": "24h"}).body["models"] == []  # created 30 h ago: outside 24h


def test_job_detail_shows_what_its_tokens_cost(priced: Path, repo: JobsRepository) -> None:
    now = utc_now()
    job = add_job(repo.db, "NET-1", iso_week="2026-W10", created_by="t", created_at=now)
    [claimed] = repo.claim("w1", 1, 60, now)
    repo.complete(claimed, GeneratedReport('{"headline": "x"}', 3, "gpt-4o-mini-2024-07-18", 20, 1_000_000, 100_000), now)
    reply = jobs(params={"job_id": job.job_id})
    assert reply.body["snapshot"]["cost"] == pytest.approx(0.15 + 0.06)
    assert_matches_document("/api/admin/jobs", "GET", 200, reply.body)


def test_health_after_a_real_worker_pass(app_db_path: Path, repo: JobsRepository) -> None:
    add_job(repo.db, "NET-NO-ROWS", iso_week="2026-W10", created_by="t")
    run_manual_pass("http", "test")
    reply = get("admin_health")
    assert reply.status == 200
    assert_matches_document("/api/admin/health", "GET", 200, reply.body)
    body = reply.body
    last = body["last_run"]
    assert last["trigger"] == "http" and last["claimed"] == 1 and last["failed"] == 1 and last["state"] == "ok"
    assert last["duration_ms"] >= 0 and body["schedule"]["expression"] == "0 */2 * * * *"
    assert body["schedule"]["next_run_at"][14:16] in {f"{minute:02d}" for minute in range(0, 60, 2)}
    assert body["schedule"]["next_run_at"].endswith(":00.000Z") and body["behind_schedule"] is None
    assert body["running"] == {"total": 0, "limit": 16, "stuck": 0, "jobs": []} and body["problem_runs"] == []


def test_health_flags_a_job_stuck_past_its_lease(app_db_path: Path, repo: JobsRepository) -> None:
    job = add_job(repo.db, "NET-1", iso_week="2026-W10", created_by="t", created_at=utc_now() - timedelta(minutes=20))
    repo.claim("gone-worker", 1, 60, utc_now() - timedelta(minutes=10))
    body = get("admin_health").body
    assert body["running"]["total"] == 1 and body["running"]["stuck"] == 1
    [running] = body["running"]["jobs"]
    assert running["job_id"] == job.job_id and running["stuck"] is True and running["worker_id"] == "gone-worker"
    assert running["overdue_seconds"] == pytest.approx(540, abs=5) and running["lease_age_seconds"] == pytest.approx(600, abs=5)
    assert_matches_document("/api/admin/health", "GET", 200, body)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("admin_metrics", {"range": "1y"}, "'range' must be one of: 24h, 7d, 30d"),
        ("admin_metrics", {"bucket": "week"}, "'bucket' must be one of: hour, day"),
        ("admin_usage", {"range": "forever"}, "'range' must be one of: 24h, 7d, 30d"),
    ],
)
def test_bad_parameters_are_a_clear_400(app_db_path: Path, name: str, params: dict[str, str], message: str) -> None:
    reply = get(name, params)
    assert reply.status == 400 and reply.body == {"ok": False, "error": message, "code": "invalid_parameter"}
    assert_matches_document(f"/{'api/' + ROUTES[name]}", "GET", 400, reply.body)


@pytest.mark.parametrize("name", list(ROUTES))
def test_same_auth_rules_as_the_jobs_api(app_db_path: Path, name: str) -> None:
    assert get(name, headers={}).status == 401
    assert get(name, headers=principal(["viewer"])).status == 200  # reading is for viewers too
    assert get(name, headers=principal(["someone"])).status == 403
    posted = call(name, "POST", headers=AUTH, body={"x": 1}, route=ROUTES[name])
    assert posted.status == 405 and posted.headers["Allow"] == "GET" and posted.body["code"] == "method_not_allowed"
