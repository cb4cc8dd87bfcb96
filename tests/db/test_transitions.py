"""The SQL of both dialects against the one transitions table in shared/jobs/models.py.

Every statement that sets a job's status is parsed (sqlglot, in its dialect): the statuses its WHERE
accepts and the status its SET writes must be exactly one transition's sources and target, and
each transition must have its statement. A new status change written only in SQL, or a WHERE that
lets a job change from a state the table does not allow, fails here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlglot
from sqlglot import exp

from shared.db import Database
from shared.db.queries import load_queries
from shared.jobs.actions import JobActions
from shared.jobs.history import changed, timeline
from shared.jobs.models import STATUSES, TRANSITIONS, Action, Status
from shared.jobs.repository import CLAIM_ONE_QUERY, TRANSITION_QUERIES, JobsRepository

DIALECTS = {"sqlite": "sqlite", "mssql": "tsql"}
JOBS_TABLE = "exec_report_jobs"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _status_literal(node: exp.Expression) -> Status:
    # T-SQL's N'queued' is a National string, not a Literal.
    assert isinstance(node, exp.National) or (isinstance(node, exp.Literal) and node.is_string), f"status compared with {node.sql()}, not a literal"
    return Status(node.this)


def status_change(sql: str, read: str) -> tuple[frozenset[Status], Status] | None:
    """(statuses the WHERE accepts, status the SET writes) when the statement changes a job's status."""
    for tree in sqlglot.parse(sql, read=read):
        if tree is None or JOBS_TABLE not in {table.name for table in tree.find_all(exp.Table)}:
            continue
        for update in tree.find_all(exp.Update):
            sets = [item for item in update.expressions if isinstance(item, exp.EQ) and isinstance(item.this, exp.Column) and item.this.name == "status"]
            if not sets:
                continue
            assert len(sets) == 1, sql
            sources: set[Status] = set()
            # The WHERE may sit in a CTE the UPDATE goes through (SQL Server's claim), so the whole statement is read.
            for test in tree.find_all(exp.EQ, exp.In):
                if test is sets[0] or not (isinstance(test.this, exp.Column) and test.this.name == "status"):
                    continue
                if not _on_jobs_table(test):  # e.g. the running count a claim reads from the status counters
                    continue
                values = test.expressions if isinstance(test, exp.In) else [test.expression]
                sources.update(_status_literal(value) for value in values)
            return frozenset(sources), _status_literal(sets[0].expression)
    return None


def _on_jobs_table(node: exp.Expression) -> bool:
    """Whether a comparison reads the jobs table: not one inside a subquery over another table."""
    select = node.find_ancestor(exp.Select)
    if select is None:
        return True
    source = select.args.get("from") or select.args.get("from_")
    return source is None or JOBS_TABLE in {table.name for table in source.find_all(exp.Table)}


def status_changes(dialect: str) -> dict[str, tuple[frozenset[Status], Status]]:
    found = {}
    for name, query in load_queries(dialect).items():
        change = status_change(query.text.replace("{source_rows_table}", "dbo.t"), DIALECTS[dialect])
        if change is not None:
            found[name] = change
    return found


def test_every_transition_has_its_statement_and_every_action_one_transition() -> None:
    assert set(TRANSITION_QUERIES) == set(TRANSITIONS) == set(Action)
    assert len(set(TRANSITION_QUERIES.values())) == len(TRANSITION_QUERIES)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_status_changing_statement_makes_exactly_its_transition(dialect: str) -> None:
    expected = {
        TRANSITION_QUERIES[action]: (frozenset(transition.sources), transition.target)
        for action, transition in TRANSITIONS.items()
        if transition.sources  # enqueue inserts; it is checked below
    }
    claim = TRANSITIONS[Action.CLAIM]
    expected[CLAIM_ONE_QUERY] = (frozenset(claim.sources), claim.target)  # the queue trigger's claim of one job by id
    assert status_changes(dialect) == expected


@pytest.mark.parametrize("dialect", DIALECTS)
def test_jobs_are_created_by_the_enqueue_statement_alone(dialect: str) -> None:
    inserting = set()
    for name, query in load_queries(dialect).items():
        for tree in sqlglot.parse(query.text.replace("{source_rows_table}", "dbo.t"), read=DIALECTS[dialect]):
            insert = tree.find(exp.Insert) if tree is not None else None
            if insert is not None and insert.this.find(exp.Table).name == JOBS_TABLE:
                inserting.add(name)
                assert "status" in {column.name for column in insert.this.find_all(exp.Identifier)}
    assert inserting == {TRANSITION_QUERIES[Action.ENQUEUE]}


def test_the_check_sees_a_statement_that_strays_from_the_table() -> None:
    # A cancel that would also stop finished jobs, and a claim that writes the wrong state.
    loose_cancel = "UPDATE exec_report_jobs SET status = 'canceled' WHERE job_id = ? AND status IN ('queued', 'running', 'succeeded')"
    assert status_change(loose_cancel, "sqlite") == (frozenset({Status.QUEUED, Status.RUNNING, Status.SUCCEEDED}), Status.CANCELED)
    assert status_change(loose_cancel, "sqlite") != (frozenset(TRANSITIONS[Action.CANCEL].sources), TRANSITIONS[Action.CANCEL].target)
    assert status_change("UPDATE exec_report_jobs SET reason = ? WHERE job_id = ?", "sqlite") is None


def test_sources_are_listed_in_the_order_the_page_lists_statuses() -> None:
    # Bulk actions walk the sources in this order and messages name them in it, so it must not depend on hashing.
    for transition in TRANSITIONS.values():
        assert list(transition.sources) == sorted(transition.sources, key=STATUSES.index)


def test_history_rows_come_from_the_transition_and_an_illegal_change_is_refused(sqlite_db: Database) -> None:
    repo = JobsRepository(sqlite_db)
    actions = JobActions(sqlite_db, max_attempts=3, clock=lambda: T0)
    job, _ = actions.enqueue("network", "NET-T", "2026-W44", None, "ada")
    assert job.status == TRANSITIONS[Action.ENQUEUE].target
    actions.cancel(job.job_id, "ada")
    actions.retry(job.job_id, "bob")
    found = repo.get(job.job_id)
    assert found is not None and found.status == Status.QUEUED
    stored = sqlite_db.run(
        lambda tx: [(row["from_status"], row["to_status"], row["actor"]) for row in tx.fetch_all("job_events_for_job", {"job_id": job.job_id})]
    )
    assert stored == [("queued", "canceled", "ada"), ("canceled", "queued", "bob")]
    assert [event.to_status for event in timeline(found, [])] == [Status.QUEUED]
    with pytest.raises(ValueError, match="complete cannot change a queued job"):
        changed(Action.COMPLETE, Status.QUEUED, T0, "w", None)
