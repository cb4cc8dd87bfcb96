"""Search and filters on GET /api/admin/jobs: q, scope_type, from, to (with status), capped totals."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.clock import utc_now
from shared.jobs.repository import JobsRepository
from tests.api.conftest import jobs
from tests.api.openapi_check import assert_matches_document
from tests.support import jobs as make

PATH = "/api/admin/jobs"


def found(**params: str) -> list[str]:
    reply = jobs(params=params)
    assert reply.status == 200, reply.body
    assert_matches_document(PATH, "GET", 200, reply.body)
    return [job["scope_key"] for job in reply.body["jobs"]]


def test_one_box_searches_job_id_prefix_scope_key_created_by_and_error_text(repo: JobsRepository) -> None:
    by_key = make.queued(repo.db, "Contoso-North")
    make.queued(repo.db, "Fabrikam", created_by="grace@contoso.com")
    make.failed(repo.db, "Tailspin", reason="Azure OpenAI answered 429 Too Many Requests", detail="Traceback\nRateLimitError: quota")
    make.failed(repo.db, "Woodgrove", reason="no source rows", detail="Traceback\nKeyError: 'metric_date'")
    assert found(q="north") == ["Contoso-North"]  # substring, any case
    assert found(q="grace@") == ["Fabrikam"]
    assert found(q="too many") == ["Tailspin"]
    assert found(q="KeyError") == ["Woodgrove"]  # the stack trace
    assert found(q=by_key.job_id[:6]) == ["Contoso-North"]
    assert found(q="nothing like this") == []


def test_search_follows_changes_to_the_rows(repo: JobsRepository) -> None:
    job = make.running(repo.db, "NET-1")
    assert found(q="quota exceeded") == []
    repo.fail(job, "quota exceeded", None, utc_now())
    assert found(q="quota exceeded") == ["NET-1"]


def test_filters_combine_status_scope_type_and_created_range(repo: JobsRepository) -> None:
    jan = datetime(2026, 1, 15, 12, tzinfo=UTC)
    feb = datetime(2026, 2, 15, 12, tzinfo=UTC)
    make.failed(repo.db, "NET-FAILED", at=jan)  # first: a claim takes the oldest queued job
    make.queued(repo.db, "NET-JAN", at=jan)
    make.queued(repo.db, "REG-JAN", at=jan, scope_type="region")
    make.queued(repo.db, "NET-FEB", at=feb)
    assert found(scope_type="region") == ["REG-JAN"]
    assert sorted(found(**{"from": "2026-01-01", "to": "2026-01-31"})) == ["NET-FAILED", "NET-JAN", "REG-JAN"]
    assert found(**{"from": "2026-02-15T12:00:00Z"}) == ["NET-FEB"]
    assert found(**{"to": "2026-02-15T12:00:00Z", "scope_type": "network", "status": "queued"}) == ["NET-JAN"]
    assert found(status="failed", q="NET") == ["NET-FAILED"]
    assert found(**{"to": "2026-01-14"}) == []  # a date `to` includes that whole UTC day, and no more
    assert len(found(**{"to": "2026-01-15"})) == 3
    assert found(**{"from": "2026-02-01", "to": "2026-01-01"}) == []  # a reversed range matches nothing
    assert len(found(**{"from": "0001-01-01T00:00:00Z", "to": "9999-12-31"})) == 4  # bounds beyond any job are no bounds


def test_search_pages_and_caps_its_total(repo: JobsRepository, app_db_path: Path) -> None:
    with sqlite3.connect(app_db_path) as conn:
        conn.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1005)
            INSERT INTO exec_report_jobs (job_id, scope_type, scope_key, status, created_at, created_by)
            SELECT printf('job%05d', i), 'network', printf('NET-%05d', i), 'succeeded',
                   printf('2026-01-01 00:%02d:%02d.000', i / 60, i % 60), 'seed' FROM n""")
    first = jobs(params={"q": "NET-0", "limit": "10"}).body
    assert first["pagination"] == {"page": 1, "limit": 10, "total": 1000, "pages": 100, "capped": True}
    assert [job["scope_key"] for job in first["jobs"]] == [f"NET-{i:05d}" for i in range(1005, 995, -1)]
    second = jobs(params={"q": "NET-0", "limit": "10", "page": "2"}).body
    assert second["jobs"][0]["scope_key"] == "NET-00995"
    narrow = jobs(params={"q": "NET-0100"}).body["pagination"]
    assert narrow["total"] == 6 and narrow["capped"] is False  # NET-01000 .. NET-01005


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": "tab\there"},
        {"scope_type": "1abc"},
        {"scope_type": "a b"},
        {"from": "2026-13-01"},
        {"from": "yesterday"},
        {"to": "2026-01-01T00:00:00"},  # no zone
        {"status": "lost", "q": "x"},
    ],
)
def test_bad_search_parameters_are_400(repo: JobsRepository, params: dict[str, str]) -> None:
    reply = jobs(params=params)
    assert reply.status == 400 and reply.body["code"] == "invalid_parameter", reply.body
    assert_matches_document(PATH, "GET", 400, reply.body)
