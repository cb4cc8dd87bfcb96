"""Each model call's trace: the real openai SDK against the stub, on the Azure and the OpenAI path.

What the stub received is exactly what the trace holds; an answer that broke the schema and its
repair are both kept; long texts are cut with a mark; no key ever reaches a stored trace."""

from __future__ import annotations

import json
from pathlib import Path

from shared.app_context import AppContext
from shared.jobs.models import Status
from shared.reports.prompt_version import PROMPT_VERSION, SCHEMA_HASH
from shared.traces.capture import MAX_TEXT_CHARS
from shared.traces.repository import TracesRepository
from shared.worker.runner import run_pass
from tests.support.llm_stub import SAMPLE_REPORT, LlmStub, ok, text, unauthorized
from tests.worker.helpers import API_KEY, FAST, add_job, add_week_rows, azure_env, make_context, settings_for


def stored_rows(context: AppContext) -> str:
    """Every stored trace, model record and rating as text, to search for what must never be there."""
    conn = context.db.connector.connect()
    tables = ("exec_report_model_calls", "exec_report_job_models", "exec_report_feedback")
    return json.dumps([list(row) for table in tables for row in conn.execute(f"SELECT * FROM {table}")])


def test_the_trace_holds_exactly_what_the_openai_endpoint_received_and_answered(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-APAC")
    job = add_job(model, "NET-APAC")

    run_pass(model, "api", budget_seconds=30, options=FAST)

    [request] = stub.requests
    [call] = TracesRepository(model.db).calls(job.job_id)
    assert call.messages == request.body["messages"]  # source rows included, as sent
    assert "Daily rows (date,metric,value)" in call.messages[-1]["content"]
    assert (call.generator, call.model, call.answered_model) == ("openai", request.body["model"], "stub-model-2024")
    assert call.parameters["response_format"] == {"type": "json_schema", "name": request.body["response_format"]["json_schema"]["name"], "strict": True}
    assert (call.parameters["schema_hash"], call.parameters["temperature"]) == (SCHEMA_HASH, None)
    assert json.loads(call.answer_text or "") == SAMPLE_REPORT
    assert (call.finish_reason, call.prompt_tokens, call.completion_tokens, call.request_id) == ("stop", 321, 123, "req-stub-1")
    assert (call.attempt, call.call_no, call.outcome, call.problem, call.truncated) == (1, 1, "valid", None, False)
    assert call.latency_ms is not None and call.latency_ms >= 0
    assert call.prompt_version == PROMPT_VERSION
    done, snapshot = model.jobs.get_with_snapshot(job.job_id)  # type: ignore[misc]
    assert done.status == Status.SUCCEEDED and snapshot is not None and snapshot.prompt_version == PROMPT_VERSION
    assert API_KEY not in stored_rows(model)


def test_the_azure_path_is_traced_with_its_deployment(stub: LlmStub, db_path: Path) -> None:
    settings = settings_for(db_path, **azure_env(stub.azure_endpoint))
    context = make_context(settings)
    add_week_rows(context, "north")
    job = add_job(context, "north")

    run_pass(context, "http", budget_seconds=30, options=FAST)

    [request] = stub.requests
    [call] = TracesRepository(context.db).calls(job.job_id)
    assert request.path == "/openai/deployments/reports-gpt4o/chat/completions"
    assert (call.generator, call.model, call.outcome) == ("azure_openai", "reports-gpt4o", "valid")
    assert call.messages == request.body["messages"]
    assert API_KEY not in stored_rows(context)
    context.db.close()


def test_an_invalid_answer_and_the_repair_that_followed_are_both_kept(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-EMEA")
    job = add_job(model, "NET-EMEA")
    broken = {key: value for key, value in SAMPLE_REPORT.items() if key != "summary"}
    stub.script(text(json.dumps(broken)), ok())

    run_pass(model, "api", budget_seconds=30, options=FAST)

    assert model.jobs.get(job.job_id).status == Status.SUCCEEDED  # type: ignore[union-attr]
    first, repair = TracesRepository(model.db).calls(job.job_id)
    assert (first.call_no, first.outcome, first.problem) == (1, "invalid", "$: missing 'summary'")
    assert json.loads(first.answer_text or "") == broken
    assert (repair.call_no, repair.attempt, repair.outcome) == (2, 1, "valid")
    assert [first.messages, repair.messages] == [request.body["messages"] for request in stub.requests]
    assert repair.messages[-2] == {"role": "assistant", "content": json.dumps(broken)}
    assert "missing 'summary'" in repair.messages[-1]["content"]


def test_long_texts_are_cut_with_a_mark_and_the_trace_says_so(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-LONG")
    job = add_job(model, "NET-LONG")
    rambling = "word " * (MAX_TEXT_CHARS // 2)  # 2.5 x the cap, and not JSON
    stub.script(text(rambling), text(rambling))

    run_pass(model, "api", budget_seconds=30, options=FAST)

    assert model.jobs.get(job.job_id).status == Status.FAILED  # type: ignore[union-attr]
    first, repair = TracesRepository(model.db).calls(job.job_id)
    for call in (first, repair):
        assert call.truncated and call.outcome == "invalid"
        assert call.answer_text is not None and call.answer_text.startswith("word word")
        assert call.answer_text.endswith(f"…[truncated: {len(rambling) - MAX_TEXT_CHARS:,} more characters were not stored]")
    assert not first.messages[-1]["content"].endswith("stored]")  # the prompt itself was short enough
    assert repair.messages[-2]["content"] == rambling[:4_000]  # the repair request carries only the first 4,000 characters


def test_a_key_the_endpoint_echoes_back_never_reaches_the_trace(model: AppContext, stub: LlmStub) -> None:
    add_week_rows(model, "NET-KEY")
    job = add_job(model, "NET-KEY")
    stub.script(unauthorized(echo=API_KEY))

    run_pass(model, "api", budget_seconds=30, options=FAST)

    [call] = TracesRepository(model.db).calls(job.job_id)
    assert call.outcome == "error" and call.problem is not None and "AuthenticationError" in call.problem
    assert "Incorrect API key provided: ***" in call.problem
    assert call.request_id == "req-stub-1"
    assert API_KEY not in stored_rows(model)


def test_offline_reports_record_their_model_but_store_no_trace(offline: AppContext) -> None:
    add_week_rows(offline, "NET-OFF")
    job = add_job(offline, "NET-OFF")

    run_pass(offline, "timer", budget_seconds=30, options=FAST)

    traces = TracesRepository(offline.db)
    assert traces.calls(job.job_id) == []
    recorded = traces.job_model(job.job_id)
    assert recorded is not None and (recorded.generator, recorded.prompt_version) == ("offline", PROMPT_VERSION)
