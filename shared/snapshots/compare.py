"""Two reports of one scope and period side by side: KPIs with their differences, and each text
section as a word-level diff (difflib's longest matching blocks over words and the spaces between)."""

from __future__ import annotations

import difflib
import re
from typing import Any

TEXT_SECTIONS = ("headline", "summary")
LIST_SECTIONS = ("highlights", "risks", "recommendations")
_TOKENS = re.compile(r"\s+|[^\s]+")

Segment = dict[str, str]  # {"op": "same" | "removed" | "added", "text": ...}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def word_diff(left: str, right: str) -> list[Segment]:
    """Segments that read left to right: `removed` is only in the left text, `added` only in the right."""
    a, b = _TOKENS.findall(left), _TOKENS.findall(right)
    segments: list[Segment] = []

    def add(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if segments and segments[-1]["op"] == op:
            segments[-1]["text"] += text
        else:
            segments.append({"op": op, "text": text})

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", a[i1:i2])
        else:
            add("removed", a[i1:i2])
            add("added", b[j1:j2])
    return segments


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def kpi_rows(left: list[Any], right: list[Any]) -> list[dict[str, Any]]:
    """One row per KPI name in either report (left's order first), with both values and right minus left."""
    by_name = [{kpi.get("name"): kpi for kpi in side if isinstance(kpi, dict)} for side in (left, right)]
    names = list(dict.fromkeys([*by_name[0], *by_name[1]]))
    rows = []
    for name in names:
        a, b = by_name[0].get(name) or {}, by_name[1].get(name) or {}
        va, vb = _number(a.get("value")), _number(b.get("value"))
        rows.append(
            {
                "name": _text(name),
                "unit": a.get("unit") or b.get("unit"),
                "left": va,
                "right": vb,
                "difference": None if va is None or vb is None else round(vb - va, 6),
                "left_change_pct": _number(a.get("change_pct")),
                "right_change_pct": _number(b.get("change_pct")),
            }
        )
    return rows


def compare_reports(left: Any, right: Any) -> dict[str, Any]:
    """The comparison of two analyses as stored; a section missing on one side diffs against nothing."""
    left = left if isinstance(left, dict) else {}
    right = right if isinstance(right, dict) else {}
    kpis = kpi_rows(left.get("kpis") if isinstance(left.get("kpis"), list) else [], right.get("kpis") if isinstance(right.get("kpis"), list) else [])
    sections = {name: word_diff(_text(left.get(name)), _text(right.get(name))) for name in (*TEXT_SECTIONS, *LIST_SECTIONS)}
    return {"kpis": kpis, "sections": sections}
