"""Model calls, re-runs, comparison and ratings through the real function objects, with the real
openai SDK talking to the stub: what the stub received is what the API shows, and replies match
the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.app_context import get_context, reset_context
from shared.jobs.models import Status
from shared.jobs.retention import purge_finished
from shared.reports.prompt_version import PROMPT_VERSION
from tests.api.conftest import AUTH, Reply, call, jobs, principal
from tests.api.openapi_check import assert_matches_document
from tests.support.llm_stub import SAMPLE_REPORT, LlmStub, ok, text
from tests.worker.helpers import API_KEY, add_week_rows

LARGE = "openai:stub-model-large"
OTHER_REPORT = {**SAMPLE_REPORT, "headline": "Revenue up 4.2% after a strong Thursday", "kpis": [{**SAMPLE_REPORT["kpis"][0], "value": 900000.0}]}


@pytest.fixture
def stub() -> Iterator[LlmStub]:
    with LlmStub() as server:
        yield server


@pytest.fixture
def model_env(app_db_path: Path, stub: LlmStub, monkeypatch: pytest.MonkeyPatch) -> Path:
    env = {
        "REPORT_GENERATOR": "openai",
        "OPENAI_BASE_URL": stub.base_url,
        "OPENAI_API_KEY": API_KEY,
        "OPENAI_MODEL": "stub-model",
        "MODEL_CHOICES": f"openai:stub-model,{LARGE}",
        "MODEL_PRICES": '{"stub-model": {"input": 1, "output": 2}}',
        "WORKER_MAX_ATTEMPTS": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    reset_context()
    return app_db_path


def get(route: str, params: dict[str, str], headers: dict[str, str] | None = None) -> Reply:
    name = "admin_" + route.replace("-", "_")
    reply = call(name, params=params, headers=headers or AUTH, route=f"admin/{route}")
    if reply.status in (200, 400, 404, 409):
        assert_matches_document(f"/api/admin/{route}", "GET", reply.status, reply.body)
    return reply


def act(body: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
    reply = call("admin_reports", "POST", headers=headers or AUTH, body=body, route="admin/reports")
    if reply.status in (200, 201, 400, 404, 409):
        assert_matches_document("/api/admin/reports", "POST", reply.status, reply.body)
    return reply


def run_worker() -> None:
    assert call("worker_run_now", "POST", headers=AUTH, body={}, route="exec/worker/run").status == 200  # the synchronous pass


def enqueue(scope_key: str) -> str:
    add_week_rows(get_context(), scope_key)
    reply = jobs("POST", body={"action": "enqueue_job", "scope_type": "network", "scope_key": scope_key, "iso_week": "2026-W07"})
    return str(reply.body["job"]["job_id"])


def test_the_api_shows_exactly_what_the_endpoint_received_for_an_invalid_answer_and_its_repair(model_env: Path, stub: LlmStub) -> None:
    job_id = enqueue("NET-TRACE")
    broken = json.dumps({**SAMPLE_REPORT, "kpis": "none"})
    stub.script(text(broken), ok())
    run_worker()

    reply = get("model-calls", {"job_id": job_id})

    assert reply.status == 200
    first, repair = reply.body["calls"]
    assert [first["messages"], repair["messages"]] == [request.body["messages"] for request in stub.requests]
    assert (first["outcome"], first["problem"], first["answer"]) == ("invalid", "$.kpis: expected array, got string", broken)
    assert (repair["outcome"], repair["repair"], repair["call_no"], repair["attempt"]) == ("valid", True, 2, 1)
    assert repair["messages"][-1]["content"].startswith("That answer does not match the report schema: $.kpis")
    assert (first["model"], first["request_id"], repair["request_id"]) == ("stub-model", "req-stub-1", "req-stub-2")
    assert reply.body["current_prompt_version"] == PROMPT_VERSION
    assert reply.body["choices"] == ["openai:stub-model", LARGE]
    assert API_KEY not in json.dumps(reply.body)


def test_a_rerun_with_another_model_is_linked_runs_like_any_job_and_compares_with_the_original(model_env: Path, stub: LlmStub) -> None:
    original = enqueue("NET-RERUN")
    run_worker()
    stub.route("stub-model-large", ok(OTHER_REPORT, prompt_tokens=500, completion_tokens=200))

    queued = act({"action": "rerun_job", "job_id": original, "model": LARGE})

    assert queued.status == 201 and queued.body["job"]["status"] == "queued" and queued.body["rerun_of"] == original
    rerun = queued.body["job"]["job_id"]
    run_worker()
    assert get_context().jobs.get(rerun).status == Status.SUCCEEDED  # type: ignore[union-attr]
    assert [request.body["model"] for request in stub.requests] == ["stub-model", "stub-model-large"]
    calls = get("model-calls", {"job_id": rerun}).body
    assert (calls["rerun_of"], calls["model_choice"], calls["calls"][0]["model"]) == (original, LARGE, "stub-model-large")
    before = get("model-calls", {"job_id": original}).body
    assert before["reruns"] == [rerun] and [row["job_id"] for row in before["same_period"]] == [rerun]

    compared = get("reports", {"left": original, "right": rerun})

    assert compared.status == 200
    body = compared.body
    revenue = next(row for row in body["kpis"] if row["name"] == "revenue_eur")
    assert (revenue["left"], revenue["right"], revenue["difference"]) == (881234.5, 900000.0, 18765.5)
    assert {"op": "added", "text": "after"} in body["sections"]["headline"] and {"op": "removed", "text": "on"} in body["sections"]["headline"]
    assert (body["left"]["model_choice"], body["right"]["model_choice"]) == (None, LARGE)
    assert (body["left"]["total_tokens"], body["right"]["total_tokens"]) == (444, 700)
    assert body["left"]["cost"] == pytest.approx((321 * 1 + 123 * 2) / 1e6)  # stub-model-2024 takes stub-model's price
    assert body["left"]["prompt_version"] == body["right"]["prompt_version"] == PROMPT_VERSION
    assert body["period"] == "2026-W07"


def test_ratings_are_audited_and_the_model_comparison_shows_the_share_rated_good(model_env: Path, stub: LlmStub) -> None:
    good, bad = enqueue("NET-RATE-1"), enqueue("NET-RATE-2")
    run_worker()

    assert act({"action": "rate_report", "job_id": good, "rating": "good", "note": "Clear and right"}).status == 200
    assert act({"action": "rate_report", "job_id": bad, "rating": "good"}).status == 200
    changed = act({"action": "rate_report", "job_id": bad, "rating": "bad", "note": "Invents a trend"})

    assert changed.body["rating"]["rating"] == "bad" and changed.body["rating"]["note"] == "Invents a trend"
    assert get("model-calls", {"job_id": bad}).body["rating"]["rating"] == "bad"
    entries = call("admin_audit", headers=AUTH, route="admin/audit").body["entries"]
    rated = [(entry["action"], entry["job_id"], entry["detail"]) for entry in entries if entry["action"] == "rate_report"]
    assert rated == [("rate_report", bad, "bad: Invents a trend"), ("rate_report", bad, "good"), ("rate_report", good, "good: Clear and right")]
    models = call("admin_models", headers=AUTH, route="admin/models")
    assert_matches_document("/api/admin/models", "GET", 200, models.body)
    [row] = models.body["models"]
    assert (row["generator"], row["model"], row["prompt_version"]) == ("openai", "stub-model", PROMPT_VERSION)
    assert (row["succeeded"], row["failed"], row["success_rate"], row["rated"], row["rated_good"], row["good_share"]) == (2, 0, 1.0, 2, 1, 0.5)
    assert row["prompt_tokens"] == 642 and row["cost"] == pytest.approx((642 + 246 * 2) / 1e6)


def test_viewers_read_and_only_admins_act(model_env: Path) -> None:
    job_id = enqueue("NET-VIEW")
    run_worker()
    viewer = principal(["viewer"])

    assert get("model-calls", {"job_id": job_id}, viewer).status == 200
    assert call("admin_models", headers=viewer, route="admin/models").status == 200
    for body in ({"action": "rerun_job", "job_id": job_id, "model": LARGE}, {"action": "rate_report", "job_id": job_id, "rating": "good"}):
        assert act(body, viewer).status == 403
    assert call("admin_model_calls", params={"job_id": job_id}, route="admin/model-calls").status == 401
    assert get_context().jobs.counts()["queued"] == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"action": "rerun_job", "job_id": "JOB", "model": "openai:not-listed"}, 400, "unknown_model"),
        ({"action": "rerun_job", "job_id": "nope", "model": LARGE}, 404, "job_not_found"),
        ({"action": "rerun_job", "job_id": "JOB"}, 400, "invalid_field"),
        ({"action": "rate_report", "job_id": "JOB", "rating": "meh"}, 400, "invalid_field"),
        ({"action": "rate_report", "job_id": "JOB", "rating": "good", "note": "two\nlines"}, 400, "invalid_field"),
        ({"action": "rate_report", "job_id": "JOB", "rating": "good", "extra": 1}, 400, "unknown_field"),
        ({"action": "rate_report", "job_id": "QUEUED", "rating": "good"}, 409, "no_report"),
        ({"action": "rerun_job", "job_id": "QUEUED", "model": LARGE}, 409, "not_finished"),
    ],
)
def test_bad_actions_are_refused_and_change_nothing(model_env: Path, body: dict[str, Any], status: int, code: str) -> None:
    done = enqueue("NET-BAD")
    run_worker()
    queued = enqueue("NET-QUEUED")
    body = {**body, "job_id": {"JOB": done, "QUEUED": queued}.get(body["job_id"], body["job_id"])}
    audit_before = call("admin_audit", headers=AUTH, route="admin/audit").body["total"]

    reply = act(body)

    assert (reply.status, reply.body["code"]) == (status, code)
    assert get_context().jobs.counts()["queued"] == 1
    assert call("admin_audit", headers=AUTH, route="admin/audit").body["total"] == audit_before
    assert get("model-calls", {"job_id": done}).body["rating"] is None


def test_a_second_rerun_while_one_is_active_is_a_conflict(model_env: Path) -> None:
    original = enqueue("NET-TWICE")
    run_worker()
    first = act({"action": "rerun_job", "job_id": original, "model": LARGE})
    second = act({"action": "rerun_job", "job_id": original, "model": LARGE})
    assert first.status == 201
    assert (second.status, second.body["code"]) == (409, "duplicate_active") and first.body["job"]["job_id"] in second.body["error"]


def test_only_reports_of_one_scope_and_period_compare(model_env: Path) -> None:
    left, right = enqueue("NET-LEFT"), enqueue("NET-RIGHT")
    run_worker()
    assert (get("reports", {"left": left, "right": right}).body["code"]) == "not_comparable"
    assert get("reports", {"left": left, "right": "missing"}).status == 404
    assert get("reports", {"left": left}).status == 400
    assert get("model-calls", {"job_id": ""}).status == 400


def test_traces_go_with_their_jobs_under_retention(model_env: Path) -> None:
    job_id = enqueue("NET-OLD")
    run_worker()
    act({"action": "rate_report", "job_id": job_id, "rating": "good"})
    db = get_context().db

    from datetime import timedelta

    from shared.clock import utc_now

    result = purge_finished(db, days=1, batch_size=10, max_batches=1, clock=lambda: utc_now() + timedelta(days=2))

    assert result.jobs_deleted == 1
    conn = db.connector.connect()
    left = [
        conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("exec_report_model_calls", "exec_report_job_models", "exec_report_feedback")
    ]
    assert left == [0, 0, 0]
