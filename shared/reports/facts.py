"""The numbers a report is built on: per-metric aggregates for a period and the one before it.

Both the prompt and the offline generator start from these facts, so a model is handed the same
arithmetic the offline summary shows rather than being asked to add up hundreds of rows itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from shared.jobs.periods import Period
from shared.reports.source_rows import MetricRow

# Rates and levels are averaged over the period; everything else (money, counts) is summed.
_AVERAGED_SUFFIXES = ("_pct", "_percent", "_rate", "_ratio", "_avg", "_score")
# Metrics where a rise is bad news; the offline summary files their rises under risks.
_LOWER_IS_BETTER = ("incident", "error", "fail", "churn", "cost", "latency", "downtime", "complaint", "defect", "outage")
_UNITS = {"_eur": "EUR", "_usd": "USD", "_gbp": "GBP", "_pct": "%", "_percent": "%", "_ms": "ms", "_seconds": "s"}


@dataclass(frozen=True)
class MetricFacts:
    name: str
    aggregate: str  # "sum" or "average"
    value: float
    previous: float | None
    change_pct: float | None
    unit: str | None
    lower_is_better: bool
    days: int
    best_day: date
    best_value: float
    worst_day: date
    worst_value: float


@dataclass(frozen=True)
class ReportFacts:
    scope_type: str
    scope_key: str
    period: Period
    previous_period: Period
    metrics: list[MetricFacts]
    rows: list[MetricRow]  # the period's own rows, for the prompt
    rows_used: int  # rows read for this report: the period's and the previous period's


def aggregate_kind(metric: str) -> str:
    return "average" if metric.lower().endswith(_AVERAGED_SUFFIXES) else "sum"


def lower_is_better(metric: str) -> bool:
    lowered = metric.lower()
    return any(word in lowered for word in _LOWER_IS_BETTER)


def unit_of(metric: str) -> str | None:
    lowered = metric.lower()
    return next((unit for suffix, unit in _UNITS.items() if lowered.endswith(suffix)), None)


def change_pct(value: float, previous: float | None) -> float | None:
    if previous is None or previous == 0:
        return None
    return round((value - previous) / abs(previous) * 100, 1)


def _daily(rows: list[MetricRow]) -> dict[str, dict[date, float]]:
    by_metric: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        by_metric[row.metric][row.metric_date] += row.value
    return by_metric


def _aggregate(kind: str, daily: dict[date, float]) -> float:
    total = sum(daily.values())
    return round(total / len(daily) if kind == "average" else total, 2)


def build_facts(scope_type: str, scope_key: str, period: Period, rows: list[MetricRow], previous_rows: list[MetricRow]) -> ReportFacts:
    current, before = _daily(rows), _daily(previous_rows)
    metrics: list[MetricFacts] = []
    for name in sorted(current):
        daily = current[name]
        kind = aggregate_kind(name)
        value = _aggregate(kind, daily)
        previous = _aggregate(kind, before[name]) if before.get(name) else None
        best = max(daily.items(), key=lambda item: (item[1], item[0]))
        worst = min(daily.items(), key=lambda item: (item[1], item[0]))
        metrics.append(
            MetricFacts(
                name=name,
                aggregate=kind,
                value=value,
                previous=previous,
                change_pct=change_pct(value, previous),
                unit=unit_of(name),
                lower_is_better=lower_is_better(name),
                days=len(daily),
                best_day=best[0],
                best_value=round(best[1], 2),
                worst_day=worst[0],
                worst_value=round(worst[1], 2),
            )
        )
    return ReportFacts(scope_type, scope_key, period, period.previous(), metrics, rows, len(rows) + len(previous_rows))
