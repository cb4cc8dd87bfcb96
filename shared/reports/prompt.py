"""The chat messages that ask a model for one report."""

from __future__ import annotations

import json
from typing import Any

from openai.types.chat import ChatCompletionMessageParam

from shared.reports.facts import ReportFacts

# Daily rows beyond this are left out; the per-metric facts above them still cover the whole period.
MAX_PROMPT_ROWS = 1_000

SYSTEM_PROMPT = (
    "You write short executive reports about business metrics. Use only the numbers you are given; "
    "never invent figures. Copy each KPI's value, previous and change_pct from the facts as they are. "
    "Write the headline in at most 12 words and the summary in two or three sentences. Give two to four "
    "highlights, up to three risks (an empty list when there are none) and one to three concrete "
    "recommendations. Answer with JSON only, matching the report schema."
)

Message = ChatCompletionMessageParam  # the SDK's own type, so a malformed message fails the type check


def _facts_table(facts: ReportFacts) -> list[dict[str, Any]]:
    return [
        {
            "name": metric.name,
            "aggregate": metric.aggregate,
            "value": metric.value,
            "previous": metric.previous,
            "change_pct": metric.change_pct,
            "unit": metric.unit,
            "days_with_data": metric.days,
            "best_day": metric.best_day.isoformat(),
            "best_day_value": metric.best_value,
            "worst_day": metric.worst_day.isoformat(),
            "worst_day_value": metric.worst_value,
        }
        for metric in facts.metrics
    ]


def build_messages(facts: ReportFacts) -> list[Message]:
    period, previous = facts.period, facts.previous_period
    shown = facts.rows[:MAX_PROMPT_ROWS]
    daily = "\n".join(f"{row.metric_date.isoformat()},{row.metric},{row.value:g}" for row in shown)
    omitted = len(facts.rows) - len(shown)
    user = (
        f"Scope: {facts.scope_type} {facts.scope_key}\n"
        f"Period: {period.label} ({period.start.isoformat()} to {period.end.isoformat()}, end exclusive)\n"
        f"Previous period: {previous.label}\n\n"
        f"Facts per metric (value and previous are the period's {'/'.join(sorted({m.aggregate for m in facts.metrics}))}):\n"
        f"{json.dumps(_facts_table(facts), indent=1)}\n\n"
        f"Daily rows (date,metric,value){f', first {len(shown)} of {len(facts.rows)}' if omitted else ''}:\n{daily}"
    )
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def correction_messages(messages: list[Message], bad_output: str, problem: str) -> list[Message]:
    """The conversation again, with the rejected answer and what was wrong with it."""
    return [
        *messages,
        {"role": "assistant", "content": bad_output[:4_000]},
        {"role": "user", "content": f"That answer does not match the report schema: {problem}. Answer again with JSON only."},
    ]
