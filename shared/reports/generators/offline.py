"""A deterministic report computed from the rows alone: totals, change against the previous period,
top movers. Its gen_model says plainly that no model wrote it."""

from __future__ import annotations

import json
from typing import Any

from shared.reports.facts import MetricFacts, ReportFacts
from shared.reports.generators import Generation
from shared.reports.prompt import Message
from shared.reports.prompt_version import SCHEMA_HASH

OFFLINE_MODEL = "offline-summary (no AI)"
NOTABLE_CHANGE_PCT = 5.0


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1_000 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _amount(metric: MetricFacts, value: float) -> str:
    if metric.unit == "%":
        return f"{_number(value)}%"
    return f"{_number(value)} {metric.unit}" if metric.unit else _number(value)


def _change(metric: MetricFacts, previous_label: str) -> str:
    if metric.change_pct is None:
        return f"no comparable value in {previous_label}"
    direction = "up" if metric.change_pct >= 0 else "down"
    return f"{direction} {abs(metric.change_pct):g}% vs {previous_label}"


def _improved(metric: MetricFacts) -> bool:
    return ((metric.change_pct or 0) < 0) == metric.lower_is_better


def _moved(metric: MetricFacts, previous_label: str) -> str:
    verb = "rose" if (metric.change_pct or 0) >= 0 else "fell"
    return f"{metric.name} {verb} {abs(metric.change_pct or 0):g}% against {previous_label}"


def offline_report(facts: ReportFacts) -> dict[str, Any]:
    period, previous = facts.period.label, facts.previous_period.label
    metrics = facts.metrics
    movers = sorted((m for m in metrics if m.change_pct), key=lambda m: (-abs(m.change_pct or 0), m.name))
    gains = [m for m in movers if _improved(m)][:3]
    setbacks = [m for m in movers if not _improved(m) and abs(m.change_pct or 0) >= NOTABLE_CHANGE_PCT][:3]
    period_days = (facts.period.end - facts.period.start).days

    if movers:
        headline = f"{facts.scope_key} {period}: {movers[0].name} {_change(movers[0], previous)}"
    else:
        headline = f"{facts.scope_key} {period}: {len(metrics)} metrics, nothing to compare against in {previous}"
    summary = (
        f"Computed from {facts.rows_used} source rows without a language model. "
        + "; ".join(f"{m.name} {m.aggregate} {_amount(m, m.value)} ({_change(m, previous)})" for m in metrics)
        + "."
    )
    highlights = [f"{_moved(m, previous)}." for m in gains]
    highlights += [f"Best day for {m.name}: {m.best_day.isoformat()} ({_amount(m, m.best_value)})." for m in metrics[:1]]
    risks = [f"{_moved(m, previous)}." for m in setbacks]
    risks += [f"{m.name} has data for only {m.days} of {period_days} days." for m in metrics if m.days < period_days]
    if setbacks:
        recommendations = [f"Find out why {_moved(m, previous)}." for m in setbacks]
    else:
        recommendations = [f"No metric moved the wrong way by {NOTABLE_CHANGE_PCT:g}% or more against {previous}; keep the current plan."]
    return {
        "headline": headline,
        "summary": summary,
        "kpis": [{"name": m.name, "value": m.value, "previous": m.previous, "change_pct": m.change_pct, "unit": m.unit} for m in metrics],
        "highlights": highlights,
        "risks": risks,
        "recommendations": recommendations,
    }


class OfflineGenerator:
    kind = "offline"
    model = OFFLINE_MODEL
    parameters: dict[str, Any] = {"schema_hash": SCHEMA_HASH}
    timeout_seconds = 0.0

    def generate(self, facts: ReportFacts, messages: list[Message]) -> Generation:
        return Generation(text=json.dumps(offline_report(facts)), model=OFFLINE_MODEL)
