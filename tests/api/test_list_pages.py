"""GET /api/admin/jobs?page=N at any depth: the page the seek finds (hourly rollups, then the index
from that hour's edge, shared/jobs/paging.py) holds exactly the rows OFFSET over the whole ordered
table holds, for the first, middle and last pages from either end, for one status and for all, and
a page past the end is empty with the same totals."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.jobs import paging
from shared.jobs.models import STATUSES, Job, Status
from shared.jobs.repository import JobsRepository
from tests.api.conftest import jobs
from tests.api.openapi_check import assert_matches_document

LIMIT = 7
START = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)


@pytest.fixture
def many(repo: JobsRepository, app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """400 jobs over a few days, inserted in random order: bursts with one created_at (ties broken by
    job_id), jobs on an hour's edge, hours with none; the seek starts after 20 rows, not 1,000."""
    monkeypatch.setattr(paging, "SEEK_FROM", 20)
    rng = random.Random(4)
    made = []
    for n in range(400):
        at = START + timedelta(hours=rng.choice((0, 1, 2, 5, 30, 31, 70))) + rng.choice((timedelta(0), timedelta(minutes=rng.randint(0, 59))))
        status = rng.choice((*STATUSES, Status.SUCCEEDED, Status.SUCCEEDED))
        made.append(Job(f"{n % 3}{rng.getrandbits(48):012x}", "network", f"NET-{n}", "2026-W19", None, status, None, at, None, None, "seed"))
    rng.shuffle(made)
    repo.db.run(lambda tx: [JobsRepository.insert_job(tx, job) for job in made])
    return app_env


def by_offset(path: Path, status: str | None, page: int) -> list[str]:
    """The page as OFFSET over the whole ordered table gives it: the reference."""
    with sqlite3.connect(path) as conn:
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        rows = conn.execute(
            f"SELECT job_id FROM exec_report_jobs {where} ORDER BY created_at DESC, job_id DESC LIMIT ? OFFSET ?", [*args, LIMIT, (page - 1) * LIMIT]
        )
        return [row[0] for row in rows]


def listed(status: str | None, page: int) -> dict:
    params = {"page": str(page), "limit": str(LIMIT)} | ({"status": status} if status else {})
    reply = jobs(params=params)
    assert reply.status == 200, reply.body
    assert_matches_document("/api/admin/jobs", "GET", 200, reply.body)
    return reply.body


@pytest.mark.parametrize("status", [None, Status.SUCCEEDED, Status.FAILED, Status.QUEUED])
def test_every_page_holds_the_rows_offset_gives(many: Path, status: str | None) -> None:
    first = listed(status, 1)
    pages = first["pagination"]["pages"]
    total = first["pagination"]["total"]
    assert total == (first["stats"][status] if status else first["stats"]["total"])
    seen = []
    for page in range(1, pages + 1):
        body = listed(status, page)
        ids = [job["job_id"] for job in body["jobs"]]
        assert ids == by_offset(many, status, page), f"page {page} of {pages}"
        assert body["pagination"] == {"page": page, "limit": LIMIT, "total": total, "pages": pages}
        seen += ids
    assert len(seen) == len(set(seen)) == total  # every job once: no page overlaps or skips another


def test_a_page_past_the_end_is_empty_and_keeps_the_totals(many: Path) -> None:
    last = listed(None, 1)["pagination"]["pages"]
    beyond = listed(None, last + 1)
    assert beyond["jobs"] == [] and beyond["pagination"]["pages"] == last
    assert listed(Status.FAILED, 10_000)["jobs"] == []


def test_a_job_written_in_another_time_form_sends_pages_back_to_offset(many: Path) -> None:
    # The queuing application wrote an ISO 8601 'T' time: the hour's text edge would not be exact.
    with sqlite3.connect(many) as conn:
        conn.execute("UPDATE exec_report_jobs SET created_at = '2026-05-05T08:00:00Z' WHERE job_id = (SELECT MIN(job_id) FROM exec_report_jobs)")
    for page in range(1, listed(None, 1)["pagination"]["pages"] + 1):
        assert [job["job_id"] for job in listed(None, page)["jobs"]] == by_offset(many, None, page), f"page {page}"
