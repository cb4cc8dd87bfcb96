"""The report schema, the offline summary and secret redaction, on their own."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

import pytest

from shared.demo.seed import _analysis
from shared.jobs.periods import week_period
from shared.reports.errors import InvalidReport
from shared.reports.facts import build_facts
from shared.reports.generators.chat import RESPONSE_FORMAT
from shared.reports.generators.offline import OFFLINE_MODEL, OfflineGenerator
from shared.reports.prompt import build_messages
from shared.reports.schema import REPORT_SCHEMA, parse_report, schema_errors
from shared.reports.source_rows import MetricRow
from shared.worker.redact import one_line, redact
from tests.support.llm_stub import SAMPLE_REPORT


def test_demo_snapshots_and_the_stub_report_match_the_schema() -> None:
    rng = random.Random(3)
    for index in range(50):
        parse_report(_analysis(rng, "NET-EMEA", f"2026-W{index % 52 + 1:02d}"))
    assert schema_errors(SAMPLE_REPORT) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"summary": None}, "$.summary: expected string, got null"),
        ({"kpis": [{"name": "x", "value": True, "previous": None, "change_pct": None, "unit": None}]}, "$.kpis[0].value: expected number, got boolean"),
        ({"kpis": [{"name": "x", "value": 1, "previous": None, "change_pct": None}]}, "$.kpis[0]: missing 'unit'"),
        ({"risks": ["ok", 3]}, "$.risks[1]: expected string, got number"),
        ({"extra": 1}, "$: unexpected 'extra'"),
    ],
)
def test_schema_names_the_first_problem_by_path(change: dict[str, Any], error: str) -> None:
    with pytest.raises(InvalidReport) as raised:
        parse_report(json.dumps({**SAMPLE_REPORT, **change}))
    assert str(raised.value).startswith(error)


def test_schema_meets_the_rules_of_strict_structured_output() -> None:
    # Azure and OpenAI reject a strict schema unless every object lists all its properties as
    # required and forbids others.
    def objects(schema: dict[str, Any]) -> list[dict[str, Any]]:
        found = [schema] if schema.get("type") == "object" else []
        for child in [*schema.get("properties", {}).values(), *([schema["items"]] if "items" in schema else [])]:
            found += objects(child)
        return found

    assert RESPONSE_FORMAT["json_schema"]["schema"] is REPORT_SCHEMA
    for obj in objects(REPORT_SCHEMA):
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])


def rows(first: date, days: int, metrics: dict[str, float]) -> list[MetricRow]:
    return [MetricRow(first + timedelta(days=d), name, value) for d in range(days) for name, value in metrics.items()]


def test_offline_report_compares_with_the_previous_period_and_says_it_is_not_ai() -> None:
    period = week_period("2026-W07")
    current = rows(period.start, 7, {"revenue_eur": 1100.0, "incidents": 3.0, "uptime_pct": 99.0})
    previous = rows(period.start - timedelta(days=7), 7, {"revenue_eur": 1000.0, "incidents": 2.0, "uptime_pct": 98.0})
    facts = build_facts("network", "NET-EMEA", period, current, previous)

    generation = OfflineGenerator().generate(facts, build_messages(facts))
    report = parse_report(generation.text)

    assert generation.model == OFFLINE_MODEL and "no AI" in generation.model
    kpis = {kpi["name"]: kpi for kpi in report["kpis"]}
    assert kpis["revenue_eur"] == {"name": "revenue_eur", "value": 7700.0, "previous": 7000.0, "change_pct": 10.0, "unit": "EUR"}
    assert kpis["uptime_pct"]["value"] == 99.0 and kpis["uptime_pct"]["unit"] == "%"  # a rate is averaged, not summed
    assert report["headline"] == "NET-EMEA 2026-W07: incidents up 50% vs 2026-W06"  # the top mover
    assert "incidents rose 50% against 2026-W06." in report["risks"]  # more incidents is bad news
    assert "revenue_eur rose 10% against 2026-W06." in report["highlights"]
    assert OfflineGenerator().generate(facts, []).text == generation.text  # deterministic


def test_offline_report_without_a_previous_period_has_no_changes() -> None:
    period = week_period("2026-W07")
    facts = build_facts("region", "north", period, rows(period.start, 3, {"orders": 10.0}), [])
    report = parse_report(OfflineGenerator().generate(facts, []).text)
    assert report["kpis"] == [{"name": "orders", "value": 30.0, "previous": None, "change_pct": None, "unit": None}]
    assert "orders has data for only 3 of 7 days." in report["risks"]


def test_redaction_removes_keys_tokens_and_configured_secrets() -> None:
    text = (
        "Error code: 401 - Incorrect API key provided: sk-live-abcdefghijklmnop1234. "
        "headers={'api-key': 'f00dfeedcafe', 'Authorization': 'Bearer eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'} "
        "conn=Server=tcp:x;PWD=hunter2hunter2;"
        "\nmy-configured-secret-value"
    )
    cleaned = redact(text, ["my-configured-secret-value"])
    for secret in ("abcdefghijklmnop1234", "f00dfeedcafe", "eyJzdWIiOiJ4In0", "hunter2hunter2", "my-configured-secret-value"):
        assert secret not in cleaned
    assert "\n" not in one_line(text) and len(one_line("x " * 500)) <= 300
