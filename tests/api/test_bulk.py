"""Bulk cancel and retry: the selected rows, or everything matching a filter, capped at 1,000."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shared.jobs.actions import BULK_CAP
from shared.jobs.repository import JobsRepository
from tests.api.conftest import jobs
from tests.api.openapi_check import assert_matches_document
from tests.support import jobs as make

PATH = "/api/admin/jobs"


def test_bulk_cancel_of_selected_rows_reports_changed_and_skipped_with_reasons(repo: JobsRepository) -> None:
    waiting, active, done = make.queued(repo.db, "NET-1"), make.running(repo.db, "NET-2"), make.succeeded(repo.db, "NET-3")
    reply = jobs("POST", body={"action": "bulk_cancel", "job_ids": [waiting.job_id, active.job_id, done.job_id, "gone"]})
    assert reply.status == 200, reply.body
    assert_matches_document(PATH, "POST", 200, reply.body)
    assert reply.body["changed"] == [waiting.job_id, active.job_id]
    assert reply.body["skipped"] == [
        {"job_id": done.job_id, "code": "not_eligible", "reason": "it is succeeded; only queued or running jobs can be canceled"},
        {"job_id": "gone", "code": "not_found", "reason": "no such job"},
    ]
    assert repo.counts()["canceled"] == 2 and repo.counts()["succeeded"] == 1


def test_bulk_retry_by_filter_counts_first_then_retries_only_what_matches(repo: JobsRepository) -> None:
    timeouts = [make.failed(repo.db, f"NET-{i}", reason="model timed out") for i in range(3)]
    make.failed(repo.db, "NET-9", reason="no source rows")
    make.queued(repo.db, "NET-8")
    where = {"status": "failed", "q": "timed out"}
    preview = jobs("POST", body={"action": "bulk_retry", "filter": where, "dry_run": True})
    assert preview.body == {"ok": True, "action": "bulk_retry", "dry_run": True, "matched": 3, "capped": False}
    assert_matches_document(PATH, "POST", 200, preview.body)
    assert repo.counts()["failed"] == 4  # a dry run changes nothing

    done = jobs("POST", body={"action": "bulk_retry", "filter": where})
    assert sorted(done.body["changed"]) == sorted(job.job_id for job in timeouts) and done.body["skipped"] == []
    assert repo.counts()["failed"] == 1 and repo.counts()["queued"] == 4


def test_bulk_by_filter_without_status_takes_only_jobs_the_action_can_change(repo: JobsRepository) -> None:
    make.succeeded(repo.db, "NET-1")
    failed = make.failed(repo.db, "NET-2")
    make.queued(repo.db, "NET-3")
    reply = jobs("POST", body={"action": "bulk_retry", "filter": {"q": "NET"}})
    assert reply.body["changed"] == [failed.job_id] and reply.body["skipped"] == []


def test_bulk_by_filter_stops_at_the_cap_and_says_so(repo: JobsRepository, app_db_path: Path) -> None:
    make.queued(repo.db, "SEED")
    with sqlite3.connect(app_db_path) as conn:  # 1,004 more queued jobs, faster than one API call each
        conn.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1004)
            INSERT INTO exec_report_jobs (job_id, scope_type, scope_key, status, created_at, created_by)
            SELECT printf('bulk%05d', i), 'network', printf('BULK-%05d', i), 'queued',
                   printf('2026-01-01 00:%02d:%02d.000', i / 60, i % 60), 'seed' FROM n""")
    preview = jobs("POST", body={"action": "bulk_cancel", "filter": {}, "dry_run": True}).body
    assert preview["matched"] == BULK_CAP and preview["capped"] is True
    done = jobs("POST", body={"action": "bulk_cancel", "filter": {}}).body
    assert len(done["changed"]) == BULK_CAP and done["capped"] is True
    assert repo.counts()["canceled"] == BULK_CAP and repo.counts()["queued"] == 1005 - BULK_CAP


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"action": "bulk_cancel"}, "invalid_body"),
        ({"action": "bulk_cancel", "job_ids": ["a"], "filter": {}}, "invalid_body"),
        ({"action": "bulk_cancel", "job_ids": []}, "invalid_field"),
        ({"action": "bulk_cancel", "job_ids": ["a"] * 1001}, "invalid_field"),
        ({"action": "bulk_cancel", "job_ids": "a"}, "invalid_field"),
        ({"action": "bulk_cancel", "job_ids": ["../etc"]}, "invalid_job_id"),
        ({"action": "bulk_cancel", "job_ids": ["a"], "dry_run": True}, "invalid_field"),
        ({"action": "bulk_retry", "filter": {"colour": "red"}}, "unknown_field"),
        ({"action": "bulk_retry", "filter": {"status": "lost"}}, "invalid_parameter"),
        ({"action": "bulk_retry", "filter": {"from": "yesterday"}}, "invalid_parameter"),
        ({"action": "bulk_retry", "filter": []}, "invalid_field"),
        ({"action": "bulk_retry", "filter": {"to": None}}, "invalid_parameter"),
        ({"action": "bulk_retry", "filter": {}, "dry_run": "yes"}, "invalid_field"),
    ],
)
def test_bad_bulk_requests_are_400_and_change_nothing(repo: JobsRepository, body: dict, code: str) -> None:
    make.queued(repo.db, "NET-1")
    reply = jobs("POST", body=body)
    assert reply.status == 400 and reply.body["code"] == code, reply.body
    assert_matches_document(PATH, "POST", 400, reply.body)
    assert repo.counts()["queued"] == 1
