"""Every T-SQL text the app can send, and Microsoft's own parser (ScriptDom) as a check on it.

SQL Server cannot run on these machines, so the statements are checked by parsers: sqlglot, and
ScriptDom through the `maxdop` wheel (a T-SQL formatter built on it). ScriptDom enforces rules
sqlglot does not, such as CREATE VIEW having to start its batch, and reads `DELETE TOP (@n)` as
SQL Server does, where sqlglot takes TOP for a table name.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from shared.db.mssql import online_index_builds, split_batches
from shared.db.queries import Query, load_queries, migration_files

# SQL Server 2022's grammar: what Azure SQL Database and Managed Instance accept today.
PARSER_VERSION = "160"
_EXEC_STRING = re.compile(r"EXEC\s*\(\s*N'((?:[^']|'')*)'\s*\)", re.IGNORECASE | re.DOTALL)
_LITERAL_OR_PLACEHOLDER = re.compile(r"('(?:[^']|'')*')|\?")
_PARSE_ERROR = re.compile(r"^maxdop: (?P<file>\S+): could not be parsed, so it was left unchanged\. (?P<error>.*)$", re.MULTILINE)


def with_named_parameters(query: Query) -> str:
    """The statement as a T-SQL batch would carry it: each `?` becomes `@name` again (ScriptDom
    rejects `?`, which only ODBC understands)."""
    names = iter(query.params)

    def replace(match: re.Match[str]) -> str:
        return match.group(1) if match.group(1) is not None else "@" + next(names)

    return _LITERAL_OR_PLACEHOLDER.sub(replace, query.text)


def tsql_statements() -> list[tuple[str, str]]:
    """(where, text) for every T-SQL statement: named queries, migration batches (also as built
    online, where the edition allows) and the dynamic EXEC(N'...') strings inside them, which SQL
    Server parses only when the batch runs."""
    found = [
        (f"queries.sql:{name}", with_named_parameters(query).replace("{source_rows_table}", "dbo.exec_report_source_rows"))
        for name, query in load_queries("mssql").items()
    ]
    for path in migration_files("mssql"):
        for index, batch in enumerate(split_batches(path.read_text(encoding="utf-8"))):
            found.append((f"{path.name}#{index}", batch))
            if (online := online_index_builds(batch)) != batch:
                found.append((f"{path.name}#{index}:online", online))
            found += [(f"{path.name}#{index}:exec{n}", inner.replace("''", "'")) for n, inner in enumerate(_EXEC_STRING.findall(batch))]
    return found


def maxdop_command() -> str:
    beside_python = Path(sys.executable).with_name("maxdop")
    found = str(beside_python) if beside_python.exists() else shutil.which("maxdop")
    if found is None:
        raise RuntimeError("maxdop is not installed; it is pinned in requirements-dev.txt (make test installs it)")
    return found


def scriptdom_errors(statements: list[tuple[str, str]]) -> dict[str, str]:
    """ScriptDom's parse error for each statement that has one, by `where`; one maxdop run for all."""
    with tempfile.TemporaryDirectory() as folder:
        files: dict[str, str] = {}
        for number, (where, sql) in enumerate(statements):
            path = Path(folder) / f"{number:04d}.sql"
            path.write_text(sql + "\n", encoding="utf-8")
            files[str(path)] = where
        # --check only reports; a statement that would merely be laid out differently is not an error.
        run = subprocess.run(
            [maxdop_command(), "--check", "--parser-version", PARSER_VERSION, *files], capture_output=True, text=True, timeout=120, check=False
        )
    errors = {files[match["file"]]: match["error"] for match in _PARSE_ERROR.finditer(run.stderr) if match["file"] in files}
    if run.returncode not in (0, 1) or (run.returncode == 1 and not errors and "would be reformatted" not in run.stderr):
        raise RuntimeError(f"maxdop failed (exit {run.returncode}): {run.stderr[-2000:]}")
    return errors
