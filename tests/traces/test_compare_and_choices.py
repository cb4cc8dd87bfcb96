"""The pieces under the model comparison: word-level diffs, KPI differences, MODEL_CHOICES and the
prompt version, and that the charts' rollup queries never read the traces."""

from __future__ import annotations

import pytest

from shared.config import Settings, SettingsError
from shared.db.queries import load_queries
from shared.reports import prompt
from shared.reports.prompt_version import PROMPT_NAME, PROMPT_VERSION, schema_hash
from shared.reports.schema import REPORT_SCHEMA
from shared.snapshots.compare import compare_reports, word_diff


def test_a_word_diff_reads_left_to_right_and_rebuilds_both_texts() -> None:
    left, right = "Revenue rose 4% on a strong Thursday.", "Revenue fell 2% on a strong Friday, again."
    segments = word_diff(left, right)
    assert segments == [
        {"op": "same", "text": "Revenue "},
        {"op": "removed", "text": "rose"},
        {"op": "added", "text": "fell"},
        {"op": "same", "text": " "},
        {"op": "removed", "text": "4%"},
        {"op": "added", "text": "2%"},
        {"op": "same", "text": " on a strong "},
        {"op": "removed", "text": "Thursday."},
        {"op": "added", "text": "Friday, again."},
    ]
    assert "".join(s["text"] for s in segments if s["op"] != "added") == left
    assert "".join(s["text"] for s in segments if s["op"] != "removed") == right


def test_kpis_pair_by_name_and_a_kpi_on_one_side_has_no_difference() -> None:
    left = {"kpis": [{"name": "revenue", "value": 100, "unit": "EUR", "change_pct": 1.5}, {"name": "orders", "value": 7}], "risks": ["Churn"]}
    right = {"kpis": [{"name": "orders", "value": 9.5}, {"name": "visits", "value": 3}], "risks": ["Churn", "Stock"], "headline": "New"}
    compared = compare_reports(left, right)
    assert compared["kpis"] == [
        {"name": "revenue", "unit": "EUR", "left": 100.0, "right": None, "difference": None, "left_change_pct": 1.5, "right_change_pct": None},
        {"name": "orders", "unit": None, "left": 7.0, "right": 9.5, "difference": 2.5, "left_change_pct": None, "right_change_pct": None},
        {"name": "visits", "unit": None, "left": None, "right": 3.0, "difference": None, "left_change_pct": None, "right_change_pct": None},
    ]
    assert compared["sections"]["risks"] == [{"op": "same", "text": "Churn"}, {"op": "added", "text": "\nStock"}]
    assert compared["sections"]["headline"] == [{"op": "added", "text": "New"}]
    assert compare_reports(None, "not a report")["kpis"] == []  # an unreadable analysis compares as empty


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("gpt-4o", "must start with one of"),
        ("openai:", "needs a model"),
        ("offline:x", "takes no model"),
        ("openai:a,openai:a", "more than once"),
        ("azure_openai:has space", "needs a model"),
    ],
)
def test_bad_model_choices_stop_start_up_naming_the_setting(value: str, says: str) -> None:
    with pytest.raises(SettingsError, match=f"MODEL_CHOICES.*{says}"):
        Settings.from_env({"MODEL_CHOICES": value, "OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "AZURE_OPENAI_ENDPOINT": "https://x"})


def test_a_choice_needs_its_endpoint() -> None:
    with pytest.raises(SettingsError, match="AZURE_OPENAI_ENDPOINT is required for MODEL_CHOICES entry azure_openai:gpt-4o"):
        Settings.from_env({"MODEL_CHOICES": "azure_openai:gpt-4o"})
    choices = Settings.from_env({"MODEL_CHOICES": "offline, openai:llama3.1:8b", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}).model_choices
    assert [choice.key for choice in choices] == ["offline", "openai:llama3.1:8b"]


def test_the_prompt_version_changes_with_the_prompt_and_not_with_key_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.reports import prompt_version

    assert PROMPT_VERSION.startswith(f"{PROMPT_NAME}@") and len(PROMPT_VERSION.split("@")[1]) == 12
    assert schema_hash(dict(reversed(list(REPORT_SCHEMA.items())))) == schema_hash()
    monkeypatch.setattr(prompt, "SYSTEM_PROMPT", prompt.SYSTEM_PROMPT + " Be brief.")
    assert prompt_version._digest(prompt_version._prompt_content()) != PROMPT_VERSION.split("@")[1]


@pytest.mark.parametrize("dialect", ["sqlite", "mssql"])
def test_the_charts_rollups_never_read_the_traces(dialect: str) -> None:
    queries = load_queries(dialect)
    charts = [name for name in queries if name.startswith(("metrics_", "usage_"))]
    assert charts, "the chart queries are named metrics_* and usage_*"
    assert [name for name in charts if "exec_report_model_calls" in queries[name].text] == []
