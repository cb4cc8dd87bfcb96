"""Retry: a failed or canceled job gets a new attempt; Details keeps the earlier ones."""

from __future__ import annotations

import pytest

from shared.clock import utc_now
from shared.jobs.repository import JobsRepository
from tests.api.conftest import call, jobs, principal
from tests.api.openapi_check import assert_matches_document
from tests.support import jobs as make

PATH = "/api/admin/jobs"


def retry(job_id: str, headers: dict[str, str] | None = None):
    return jobs("POST", body={"action": "retry_job", "job_id": job_id}, headers=headers)


def test_retrying_a_failed_job_queues_it_again_and_keeps_the_failed_attempt_in_details(repo: JobsRepository) -> None:
    job = make.failed(repo.db, "NET-1", reason="Azure OpenAI request timed out", detail="Traceback: TimeoutError")
    reply = retry(job.job_id)
    assert reply.status == 200, reply.body
    assert_matches_document(PATH, "POST", 200, reply.body)
    again = reply.body["job"]
    assert again["job_id"] == job.job_id and again["status"] == "queued" and again["reason"] == "retried by api-token"
    assert again["started_at"] is None and again["finished_at"] is None and again["error_detail"] is None
    assert again["attempts"] == 1 and again["max_attempts"] == 1 + 3  # a fresh budget on top of the attempt spent
    assert repo.counts()["queued"] == 1 and repo.counts()["failed"] == 0

    detail = jobs(params={"job_id": job.job_id})
    assert_matches_document(PATH, "GET", 200, detail.body)
    steps = [(e["from_status"], e["to_status"], e["actor"]) for e in detail.body["history"]]
    assert steps == [(None, "queued", "seed"), ("queued", "running", "w1"), ("running", "failed", "w1"), ("failed", "queued", "api-token")]
    failed_step = detail.body["history"][2]
    assert "Azure OpenAI request timed out" in failed_step["detail"] and "TimeoutError" in failed_step["detail"]


def test_a_second_failure_after_a_retry_shows_both_attempts(repo: JobsRepository) -> None:
    job = make.failed(repo.db, "NET-1", reason="first failure")
    retry(job.job_id)
    [claimed] = repo.claim("w2", 1, 60, utc_now())
    repo.fail(claimed, "second failure", None, utc_now())
    history = jobs(params={"job_id": job.job_id}).body["history"]
    ends = [(e["to_status"], e["actor"], e["detail"]) for e in history if e["to_status"] == "failed"]
    assert ends == [("failed", "w1", "first failure\n\nTraceback: TimeoutError"), ("failed", "w2", "second failure")]


def test_retrying_a_canceled_job_records_the_cancel_once(repo: JobsRepository) -> None:
    job = make.queued(repo.db, "NET-1")
    assert jobs("POST", body={"action": "cancel_job", "job_id": job.job_id}).status == 200
    assert retry(job.job_id).status == 200
    steps = [(e["from_status"], e["to_status"]) for e in jobs(params={"job_id": job.job_id}).body["history"]]
    assert steps == [(None, "queued"), ("queued", "canceled"), ("canceled", "queued")]


@pytest.mark.parametrize("state", ["queued", "running", "succeeded"])
def test_retrying_a_job_that_has_not_failed_is_409_and_changes_nothing(repo: JobsRepository, state: str) -> None:
    job = getattr(make, state)(repo.db, "NET-1")
    reply = retry(job.job_id)
    assert reply.status == 409 and reply.body["code"] == "not_eligible"
    assert f"it is {state}" in reply.body["error"]
    assert_matches_document(PATH, "POST", 409, reply.body)
    assert repo.get(job.job_id).status == state  # type: ignore[union-attr]


def test_retry_is_refused_while_another_job_covers_the_same_scope_and_period(repo: JobsRepository) -> None:
    old = make.failed(repo.db, "NET-1")
    newer = make.queued(repo.db, "NET-1")
    reply = retry(old.job_id)
    assert reply.status == 409 and reply.body["code"] == "duplicate_active" and newer.job_id in reply.body["error"]
    assert repo.get(old.job_id).status == "failed"  # type: ignore[union-attr]


def test_unknown_and_malformed_ids(repo: JobsRepository) -> None:
    assert retry("abc123").status == 404
    bad = jobs("POST", body={"action": "retry_job", "job_id": "../x"})
    assert bad.status == 400 and bad.body["code"] == "invalid_job_id"
    extra = jobs("POST", body={"action": "retry_job", "job_id": "abc", "force": True})
    assert extra.status == 400 and extra.body["code"] == "unknown_field"


def test_a_viewer_cannot_retry(repo: JobsRepository) -> None:
    job = make.failed(repo.db, "NET-1")
    reply = call("admin_jobs", "POST", headers=principal(["viewer"]), body={"action": "retry_job", "job_id": job.job_id})
    assert reply.status == 403 and reply.body["code"] == "forbidden"
    assert repo.get(job.job_id).status == "failed"  # type: ignore[union-attr]
