"""A pass turns queued jobs into stored snapshots, through each generator."""

from __future__ import annotations

import json
from pathlib import Path

from shared.app_context import AppContext
from shared.jobs.models import Status
from shared.reports.schema import parse_report
from shared.worker.runner import run_pass
from shared.worker.runs import WorkerRunsRepository
from tests.support.llm_stub import SAMPLE_REPORT, LlmStub
from tests.worker.helpers import API_KEY, FAST, add_job, add_week_rows, azure_env, make_context, settings_for


def test_offline_pass_stores_a_report_computed_from_the_rows(offline: AppContext) -> None:
    add_week_rows(offline, "NET-EMEA")
    job = add_job(offline, "NET-EMEA")

    summary = run_pass(offline, "timer", budget_seconds=30, options=FAST)

    found = offline.jobs.get_with_snapshot(job.job_id)
    assert found is not None
    done, snapshot = found
    assert (done.status, done.reason, done.attempts, done.error_detail) == (Status.SUCCEEDED, "ok", 1, None)
    assert snapshot is not None and snapshot.job_id == job.job_id
    assert snapshot.gen_model == "offline-summary (no AI)"
    assert snapshot.rows_used == 28  # 7 days x 2 metrics, this week and the one before
    report = parse_report(snapshot.analysis_json)
    revenue = next(kpi for kpi in report["kpis"] if kpi["name"] == "revenue_eur")
    assert (revenue["value"], revenue["previous"], revenue["change_pct"], revenue["unit"]) == (7000.0, 7000.0, 0.0, "EUR")
    assert (summary.claimed, summary.succeeded, summary.failed, summary.still_queued) == (1, 1, 0, 0)
    [run] = WorkerRunsRepository(offline.db).list_recent(5)
    assert (run.run_id, run.trigger, run.claimed, run.succeeded, run.error) == (summary.run_id, "timer", 1, 1, None)
    assert run.finished_at is not None


def test_openai_compatible_endpoint_gets_a_strict_schema_request_and_usage_is_stored(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-APAC")
    job = add_job(model, "NET-APAC")

    summary = run_pass(model, "api", budget_seconds=30, options=FAST)

    found = model.jobs.get_with_snapshot(job.job_id)
    assert found is not None and found[1] is not None
    done, snapshot = found
    assert done.status == Status.SUCCEEDED and summary.succeeded == 1
    assert json.loads(snapshot.analysis_json) == SAMPLE_REPORT
    assert (snapshot.gen_model, snapshot.prompt_tokens, snapshot.completion_tokens) == ("stub-model-2024", 321, 123)
    [request] = stub.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == "stub-model"
    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema" and response_format["json_schema"]["strict"] is True
    prompt = request.body["messages"][-1]["content"]
    assert "NET-APAC" in prompt and "2026-W07" in prompt and "2026-W06" in prompt and "revenue_eur" in prompt


def test_azure_openai_uses_the_deployment_path_api_version_and_key(stub: LlmStub, db_path: Path) -> None:
    settings = settings_for(db_path, **azure_env(stub.azure_endpoint))
    context = make_context(settings)
    add_week_rows(context, "north")
    job = add_job(context, "north")

    run_pass(context, "http", budget_seconds=30, options=FAST)

    assert context.jobs.get(job.job_id).status == Status.SUCCEEDED  # type: ignore[union-attr]
    [request] = stub.requests
    assert request.path == "/openai/deployments/reports-gpt4o/chat/completions"
    assert request.query == {"api-version": "2024-10-21"}
    assert request.headers["api-key"] == API_KEY
    assert request.body["response_format"]["json_schema"]["name"] == "exec_report"
    context.db.close()
