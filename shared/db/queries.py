"""Named SQL, one file per dialect, in the style of procrastinate's queries.sql.

A query starts with a `-- name: NAME` line; everything up to the next such line is its text. A
line may name several queries (`-- name: a, b`) when one dialect serves them all with one statement.
Parameters are written `:name` in both dialects and compiled to the `?` placeholders that sqlite3
and pyodbc share, so callers pass a dict and each dialect may use the values in its own order.
`{source_rows_table}` is the one text placeholder, filled with a validated identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")
_NAME_LINE = re.compile(r"^--\s*name:\s*(\w+(?:\s*,\s*\w+)*)\s*$", re.MULTILINE)
# A quoted literal (kept as is) or a :param outside one; `::` is never a parameter.
_LITERAL_OR_PARAM = re.compile(r"('(?:[^']|'')*')|(?<![:\w]):([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    params: tuple[str, ...]


def compile_params(text: str) -> tuple[str, tuple[str, ...]]:
    names: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        names.append(match.group(2))
        return "?"

    return _LITERAL_OR_PARAM.sub(replace, text), tuple(names)


def parse_named_queries(text: str) -> dict[str, Query]:
    queries: dict[str, Query] = {}
    parts = _NAME_LINE.split(text)
    for names, body in zip(parts[1::2], parts[2::2], strict=True):
        lines = [line for line in body.strip().splitlines() if not line.lstrip().startswith("--")]
        sql, params = compile_params("\n".join(lines).strip().rstrip(";"))
        for name in (name.strip() for name in names.split(",")):
            if name in queries:
                raise ValueError(f"query {name!r} is defined twice")
            queries[name] = Query(name, sql, params)
    return queries


@cache
def load_queries(dialect: str) -> dict[str, Query]:
    return parse_named_queries((SQL_DIR / dialect / "queries.sql").read_text(encoding="utf-8"))


def migration_files(dialect: str) -> list[Path]:
    return sorted((SQL_DIR / dialect / "migrations").glob("*.sql"))
