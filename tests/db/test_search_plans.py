"""Every search plan gives what a plain scan of the jobs table gives: the same jobs in the same order
(created_at, then job_id, newest first), the same totals and the same cap, for every page. The data
is small and awkward on purpose: rows inserted out of created order (so the index's keys and the
table's rowids disagree), many jobs sharing one created_at and one minute, a created_at written in
another format by the queuing application, and job ids that are also text matches."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.db import Database
from shared.jobs import search
from shared.jobs.models import STATUSES, Job, Status
from shared.jobs.repository import JobsRepository
from shared.jobs.search import JobFilter, JobSearch
from tests.conftest import sqlite_database

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEYS = ("NET-EMEA", "NET-APAC", "contoso", "Contoso-North", "fabrikam", "north")
CREATORS = ("scheduler", "admin@contoso.com", "ops@fabrikam.com", None)
ERRORS = (("model timed out", "Traceback\nTimeoutError: timed out"), ("blocked by the content filter", "BadRequestError: content_filter"), ("ok", None))
# Written by "another application": not the stored form, so these jobs take the index's -rowid keys.
FOREIGN_TIMES = ("2026-03-02T09:30:00Z", "2026-03-05 10:00:00")


def _jobs(order: str) -> list[Job]:
    rng = random.Random(20)
    made = []
    for n in range(240):
        # Runs of equal created_at (ties broken by job_id) and many jobs in one minute.
        created = START + timedelta(seconds=(n // 6) * rng.choice((1, 7, 61, 3600)) + (n // 6)) if n % 5 else START + timedelta(minutes=n // 40)
        status = rng.choice(STATUSES)
        reason, detail = rng.choice(ERRORS) if status == Status.FAILED else (("ok", None) if status == Status.SUCCEEDED else (None, None))
        if status == Status.CANCELED:
            reason = "canceled by admin@contoso.com"
        job_id = f"{rng.choice(('abc', 'abd', 'c0n', 'f00'))}{rng.getrandbits(64):016x}"
        made.append(
            Job(
                job_id=job_id,
                status=status,
                reason=reason,
                created_at=created,
                started_at=None,
                finished_at=None,
                created_by=rng.choice(CREATORS),
                max_attempts=3,
                scope_type=rng.choice(("network", "region", "account")),
                scope_key=rng.choice(KEYS),
                iso_week="2026-W10",
                month_key=None,
                error_detail=detail,
            )
        )
    made.append(Job(**{**made[0].__dict__, "job_id": "contoso-id-0001", "created_by": "contoso"}))  # an id that is also a text match
    if order == "reversed":
        made.sort(key=lambda job: (job.created_at, job.job_id), reverse=True)
    elif order == "shuffled":
        rng.shuffle(made)
    return made


@pytest.fixture(params=["created", "reversed", "shuffled"])
def loaded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    db = sqlite_database(tmp_path / "jobs.sqlite3")
    made = _jobs(request.param)
    db.run(lambda tx: [JobsRepository.insert_job(tx, job) for job in made])
    yield db
    db.close()


def plain_scan(db: Database, where: JobFilter) -> list[str]:
    """What the search means, by reading every row: the reference the plans must equal."""
    conn = sqlite3.connect(db.connector.path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM exec_report_jobs").fetchall()
    finally:
        conn.close()
    low = (where.created_from or datetime(1970, 1, 1, tzinfo=UTC)).strftime("%Y-%m-%d %H:%M:%S.000")
    high = (where.created_to or datetime(9999, 12, 31, tzinfo=UTC)).strftime("%Y-%m-%d %H:%M:%S.000")
    kept = [row for row in rows if low <= row["created_at"] < high and _matches(row, where)]
    kept.sort(key=lambda row: (row["created_at"], row["job_id"]), reverse=True)
    return [row["job_id"] for row in kept]


def _matches(row: sqlite3.Row, where: JobFilter) -> bool:
    if (where.status and row["status"] != where.status) or (where.scope_type and row["scope_type"] != where.scope_type):
        return False
    if where.q is None:
        return True
    texts = [row["scope_key"], row["created_by"], row["reason"], (row["error_detail"] or "")[:2000]]
    in_text = len(where.q) >= 3 and any(where.q.lower() in (text or "").lower() for text in texts)
    return in_text or row["job_id"].startswith(where.q)


FILTERS: list[dict[str, Any]] = [
    {"q": "contoso"},
    {"q": "Contoso", "status": Status.CANCELED},
    {"q": "NET-", "scope_type": "region"},
    {"q": "timed out"},
    {"q": "content filter", "status": Status.FAILED},
    {"q": "north", "created_from": START + timedelta(minutes=2), "created_to": START + timedelta(hours=30)},
    {"q": "contoso", "status": Status.QUEUED, "created_to": START + timedelta(minutes=3)},
    {"q": "abc"},  # an id prefix and no text
    {"q": "ab"},  # too short for the text index: an id prefix only
    {"q": "c0n", "status": Status.FAILED},
    {"q": "nothing like this"},
    {"status": Status.SUCCEEDED, "scope_type": "account"},
    {"created_from": START + timedelta(seconds=30)},
]


def plans_for(where: JobFilter) -> list[str]:
    """The plans that can answer `where`: the text-index walk needs a q of 3+ characters, the status
    walk a status, the time walk no status."""
    return [plan for plan, fits in (("key", where.q is not None and len(where.q) >= 3), ("status", bool(where.status)), ("time", not where.status)) if fits]


@pytest.mark.parametrize("given", FILTERS, ids=lambda given: " ".join(f"{k}={v}" for k, v in given.items()))
def test_every_plan_gives_every_page_and_total_a_plain_scan_gives(loaded: Database, given: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    where = JobFilter(**given)
    expected = plain_scan(loaded, where)
    chosen = JobSearch(loaded)._plan(where)
    assert chosen in plans_for(where)
    limit = 7
    for plan in plans_for(where):
        monkeypatch.setattr(JobSearch, "_plan", lambda self, where, plan=plan: plan)
        finder = JobSearch(loaded)
        pages = [finder.page(where, page, limit) for page in range(1, len(expected) // limit + 3)]
        assert all(found.total == len(expected) and not found.capped for found in pages), plan
        assert [job.job_id for found in pages for job in found.jobs] == expected, plan
        assert [job.job_id for job in finder.iterate(where, cap=len(expected) + 5, chunk=4)] == expected, plan


def test_a_status_with_few_jobs_is_walked_and_a_common_one_is_found_through_the_text(loaded: Database) -> None:
    assert JobSearch(loaded)._plan(JobFilter(q="contoso", status=Status.QUEUED)) == "status"  # about 40 of 241 jobs
    with sqlite3.connect(loaded.connector.path) as conn:
        conn.execute("UPDATE exec_report_jobs SET status = 'queued'")
    assert JobSearch(loaded)._plan(JobFilter(q="contoso", status=Status.QUEUED)) == "key"


def test_times_in_another_format_are_searched_in_their_text_order(loaded: Database) -> None:
    # The keyset cursor of iterate() re-writes times in the stored form, so only pages are compared here.
    with sqlite3.connect(loaded.connector.path) as conn:
        ids = [row[0] for row in conn.execute("SELECT job_id FROM exec_report_jobs WHERE scope_key LIKE '%contoso%' ORDER BY job_id LIMIT 2")]
        for job_id, text in zip(ids, FOREIGN_TIMES, strict=True):
            conn.execute("UPDATE exec_report_jobs SET created_at = ? WHERE job_id = ?", (text, job_id))
    for given in ({"q": "contoso"}, {"q": "contoso", "created_from": START + timedelta(days=1)}):
        where = JobFilter(**given)
        expected = plain_scan(loaded, where)
        pages = [JobSearch(loaded).page(where, page, 5) for page in range(1, len(expected) // 5 + 2)]
        assert [job.job_id for found in pages for job in found.jobs] == expected and pages[0].total == len(expected)
    assert set(ids) <= set(plain_scan(loaded, JobFilter(q="contoso")))


def test_a_broad_search_stops_counting_at_the_cap(loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    where = JobFilter(q="contoso")
    expected = plain_scan(loaded, where)
    monkeypatch.setattr(search, "COUNT_CAP", 20)
    found = JobSearch(loaded).page(where, 2, 10)
    assert (found.total, found.capped) == (20, True) and len(expected) > 20
    assert [job.job_id for job in found.jobs] == expected[10:20]


def test_the_job_that_moves_in_time_is_found_at_its_new_place(loaded: Database) -> None:
    with sqlite3.connect(loaded.connector.path) as conn:
        (job_id,) = conn.execute("SELECT job_id FROM exec_report_jobs WHERE scope_key = 'fabrikam' ORDER BY created_at LIMIT 1").fetchone()
        conn.execute("UPDATE exec_report_jobs SET created_at = '2026-04-01 00:00:00.000' WHERE job_id = ?", (job_id,))
    where = JobFilter(q="fabrikam")
    assert JobSearch(loaded).page(where, 1, 3).jobs[0].job_id == job_id
    assert [job.job_id for job in JobSearch(loaded).iterate(where, cap=1000)] == plain_scan(loaded, where)
