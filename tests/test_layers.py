"""The layers the README draws, read from the code: trigger -> handler -> service -> repository -> database.

- Only repositories name queries: every call that passes a query name (`.execute("…")`,
  `.fetch_all(…)`, `.fetch_one(…)`, `.execute_many(…)`) sits in a class named `…Repository`, apart
  from the data layer itself (shared/db) and the job search (shared/jobs/search.py, paging.py), whose
  plans are its queries.
- No handler imports the data layer: nothing in shared/api imports shared.db, directly or through
  a module that is only a re-export of it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "shared"
QUERY_CALLS = {"execute", "execute_many", "fetch_all", "fetch_one"}
DATA_LAYER = SHARED / "db"
SEARCH_PLANS = {SHARED / "jobs" / "search.py", SHARED / "jobs" / "paging.py"}


def _names_a_query(call: ast.Call) -> bool:
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in QUERY_CALLS and call.args):
        return False
    first = call.args[0]
    # A literal name, an f-string, a name looked up in a table of query names, or a variable holding one.
    return isinstance(first, ast.JoinedStr | ast.Subscript | ast.Name) or (isinstance(first, ast.Constant) and isinstance(first.value, str))


def query_calls_outside_repositories(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def visit(node: ast.AST, owner: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and _names_a_query(child) and not (owner or "").endswith("Repository"):
                found.append(f"{path.relative_to(ROOT)}:{child.lineno} ({owner or 'module level'})")
            visit(child, owner)

    visit(tree, None)
    return found


def test_only_repositories_name_queries() -> None:
    modules = [path for path in SHARED.rglob("*.py") if DATA_LAYER not in path.parents and path not in SEARCH_PLANS]
    outside = [where for path in sorted(modules) for where in query_calls_outside_repositories(path)]
    assert outside == []


def test_the_check_finds_a_query_named_outside_a_repository(tmp_path: Path) -> None:
    module = tmp_path / "service.py"
    module.write_text(
        "class JobsService:\n    def go(self, tx):\n        return tx.fetch_one('get_job', {})\n"
        "class JobsRepository:\n    def get(self, tx):\n        return tx.fetch_one('get_job', {})\n"
        "def helper(tx):\n    tx.execute(f'list_{1}')\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert query_calls_outside_repositories(module) == ["service.py:3 (JobsService)", "service.py:8 (module level)"]
    finally:
        ROOT = saved


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_handler_imports_the_data_layer() -> None:
    handlers = sorted((SHARED / "api").rglob("*.py"))
    assert handlers
    reaching = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path) if name == "shared.db" or name.startswith("shared.db."))
        for path in handlers
    }
    assert {path: names for path, names in reaching.items() if names} == {}
