"""One table, the target beside each figure, and the same rows as JSON in bench/results/."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.sizes import RESULTS_DIR
from bench.stats import Distribution

PASS, FAIL, INFO = "pass", "FAIL", "-"


@dataclass
class Row:
    section: str
    measure: str
    size: str
    figure: str
    target: str = ""
    ok: bool | None = None  # None: a figure with no target of its own
    http: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def mark(self) -> str:
        return INFO if self.ok is None else PASS if self.ok else FAIL


def latency(dist: Distribution) -> str:
    return f"{dist.p50_ms:7.2f} {dist.p95_ms:7.2f} {dist.p99_ms:7.2f}"


def render(rows: list[Row]) -> str:
    header = ("section", "measure", "size", "in-process / figure", "HTTP p50 p95 p99 ms", "target", "result")
    table = [header] + [(r.section, r.measure, r.size, r.figure, r.http, r.target, r.mark) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    failed = sum(r.ok is False for r in rows)
    lines.append(f"\n{sum(r.ok is True for r in rows)} targets met, {failed} missed; latency columns are p50 p95 p99 in ms.")
    return "\n".join(lines)


def write_json(rows: list[Row], extra: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    document = {
        "generated_at": stamp,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
        "rows": [asdict(row) | {"result": row.mark} for row in rows],
        **extra,
    }
    path = RESULTS_DIR / f"bench-{stamp}.json"
    text = json.dumps(document, indent=2, default=_default)
    path.write_text(text, encoding="utf-8")
    (RESULTS_DIR / "latest.json").write_text(text, encoding="utf-8")
    return path


def _cpus() -> int | None:
    import os

    return os.cpu_count()


def _default(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
