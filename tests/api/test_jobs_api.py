"""/api/admin/jobs through the real function objects: the SPEC's contract, extended."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from shared.clock import utc_now
from shared.jobs.repository import GeneratedReport, JobsRepository
from tests.api.conftest import AUTH, call, jobs
from tests.api.openapi_check import assert_matches_document
from tests.support.jobs import add_job

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def seed_jobs(repo: JobsRepository, count: int) -> list[str]:
    now = utc_now() - timedelta(hours=1)
    return [
        add_job(repo.db, f"NET-{index:03d}", iso_week="2026-W44", created_by="seed", created_at=now + timedelta(seconds=index)).job_id for index in range(count)
    ]


def test_list_returns_jobs_stats_and_pagination(repo: JobsRepository) -> None:
    ids = seed_jobs(repo, 7)
    repo.cancel(ids[0], "canceled by test", utc_now())
    reply = jobs(params={"page": "1", "limit": "5"})
    assert reply.status == 200 and reply.body["ok"] is True
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.body["stats"] == {"total": 7, "queued": 6, "running": 0, "succeeded": 0, "failed": 0, "canceled": 1, "retrying": 0}
    assert reply.body["pagination"] == {"page": 1, "limit": 5, "total": 7, "pages": 2}
    listed = reply.body["jobs"]
    assert [job["job_id"] for job in listed] == list(reversed(ids))[:5]
    first = listed[0]
    assert ISO_Z.match(first["created_at"]) and first["queue_time_seconds"] >= 3500 and first["processing_time_seconds"] is None
    assert first["scope_type"] == "network" and first["period"] == "2026-W44" and first["created_by"] == "seed"


def test_status_filter_and_a_page_past_the_end(repo: JobsRepository) -> None:
    ids = seed_jobs(repo, 4)
    repo.cancel(ids[1], "x", utc_now())
    canceled = jobs(params={"status": "canceled"})
    assert [job["job_id"] for job in canceled.body["jobs"]] == [ids[1]]
    assert canceled.body["pagination"]["total"] == 1
    beyond = jobs(params={"page": "9", "status": "queued"})
    assert beyond.status == 200 and beyond.body["jobs"] == []
    assert beyond.body["pagination"] == {"page": 9, "limit": 50, "total": 3, "pages": 1}


def test_detail_has_timings_error_detail_and_snapshot(repo: JobsRepository) -> None:
    done, failed, waiting = seed_jobs(repo, 3)
    claimed = repo.claim("w1", 2, 60, utc_now())
    repo.complete(claimed[0], GeneratedReport('{"headline":"Up 5%"}', 42, "gpt-4o-mini", 1500, 900, 100), utc_now())
    repo.fail(claimed[1], "Azure OpenAI request timed out", "Traceback (most recent call last):\n  ...", utc_now())

    ok = jobs(params={"job_id": done}).body
    assert ok["job"]["status"] == "succeeded" and ok["job"]["processing_time_seconds"] >= 0
    assert ok["snapshot"]["rows_used"] == 42 and ok["snapshot"]["gen_model"] == "gpt-4o-mini"
    assert ok["snapshot"]["json_size_bytes"] == len('{"headline":"Up 5%"}') and ok["snapshot"]["total_tokens"] == 1000
    assert ok["snapshot"]["analysis"] == {"headline": "Up 5%"}

    bad = jobs(params={"job_id": failed}).body
    assert bad["job"]["reason"] == "Azure OpenAI request timed out"
    assert bad["job"]["error_detail"].startswith("Traceback") and bad["snapshot"] is None

    queued = jobs(params={"job_id": waiting}).body
    assert queued["job"]["started_at"] is None and queued["snapshot"] is None


def test_unknown_job_is_404(repo: JobsRepository) -> None:
    reply = jobs(params={"job_id": "abc123"})
    assert reply.status == 404 and reply.body == {"ok": False, "error": "No job with id abc123", "code": "job_not_found"}


def test_cancel_queued_then_again_is_409(repo: JobsRepository) -> None:
    [job_id] = seed_jobs(repo, 1)
    reply = jobs("POST", body={"action": "cancel_job", "job_id": job_id})
    assert reply.status == 200 and reply.body["job"]["status"] == "canceled"
    assert reply.body["job"]["reason"] == "canceled by api-token"
    again = jobs("POST", body={"action": "cancel_job", "job_id": job_id})
    assert again.status == 409 and "already canceled" in again.body["error"]


def test_cancel_a_running_job_makes_its_worker_lose_the_fence(repo: JobsRepository) -> None:
    [job_id] = seed_jobs(repo, 1)
    [claimed] = repo.claim("w1", 1, 60, utc_now())
    assert jobs("POST", body={"action": "cancel_job", "job_id": job_id}).status == 200
    assert not repo.complete(claimed, GeneratedReport("{}", 1, "m", 1), utc_now())
    assert jobs(params={"job_id": job_id}).body["snapshot"] is None


def test_enqueue_creates_then_deduplicates(repo: JobsRepository) -> None:
    body = {"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-EMEA", "month_key": "2026-10"}
    created = jobs("POST", body=body)
    assert created.status == 201 and created.body["created"] is True
    assert created.body["job"]["status"] == "queued" and created.body["job"]["created_by"] == "api-token"
    again = jobs("POST", body=body)
    assert again.status == 200 and again.body["created"] is False
    assert again.body["job"]["job_id"] == created.body["job"]["job_id"]
    assert jobs().body["stats"]["total"] == 1


def test_enqueue_records_the_platform_user_as_creator(repo: JobsRepository) -> None:
    from tests.api.conftest import call, principal

    body = {"action": "enqueue_job", "scope_type": "region", "scope_key": "north", "iso_week": "2026-W01"}
    reply = call("admin_jobs", "POST", headers=principal(["admin"], "grace@contoso.com"), body=body)
    assert reply.status == 201 and reply.body["job"]["created_by"] == "grace@contoso.com"


def _database_state(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return [*conn.execute("SELECT * FROM exec_report_jobs ORDER BY job_id"), *conn.execute("SELECT * FROM exec_report_snapshots")]


BAD_LISTS = [
    ({"limit": "0"}, "invalid_parameter"),
    ({"limit": "-1"}, "invalid_parameter"),
    ({"limit": "1000000000"}, "invalid_parameter"),
    ({"limit": "abc"}, "invalid_parameter"),
    ({"limit": "201"}, "invalid_parameter"),
    ({"page": "0"}, "invalid_parameter"),
    ({"page": "1.5"}, "invalid_parameter"),
    ({"status": "done"}, "invalid_parameter"),
    ({"status": "QUEUED"}, "invalid_parameter"),
    ({"job_id": "../etc/passwd"}, "invalid_job_id"),
    ({"job_id": "x" * 65}, "invalid_job_id"),
    ({"job_id": "a b"}, "invalid_job_id"),
]


@pytest.mark.parametrize(("params", "code"), BAD_LISTS)
def test_bad_query_parameters_are_400(app_db_path: Path, repo: JobsRepository, params: dict[str, str], code: str) -> None:
    seed_jobs(repo, 2)
    before = _database_state(app_db_path)
    reply = jobs(params=params)
    assert reply.status == 400 and reply.body["ok"] is False and reply.body["code"] == code and reply.body["error"]
    assert _database_state(app_db_path) == before


@pytest.mark.parametrize(("name", "route"), [("admin_audit", "admin/audit?limit=5&limit="), ("admin_jobs", "admin/jobs?status=failed&status=queued")])
def test_a_query_parameter_given_twice_is_refused_not_guessed(app_db_path: Path, repo: JobsRepository, name: str, route: str) -> None:
    # The platform hands the function one of a repeated parameter's values; which one the client meant is unknowable.
    seed_jobs(repo, 2)
    before = _database_state(app_db_path)
    reply = call(name, headers=AUTH, route=route, params=dict(parse_qsl(urlsplit(route).query)))
    assert reply.status == 400 and reply.body["code"] == "repeated_parameter" and "given more than once" in reply.body["error"]
    assert _database_state(app_db_path) == before
    once = route.split("&", maxsplit=1)[0]
    assert call(name, headers=AUTH, route=once, params=dict(parse_qsl(urlsplit(once).query))).status == 200


BAD_BODIES: list[tuple[bytes | dict, int, str]] = [
    (b"not json", 400, "invalid_json"),
    (b"\xff\xfe", 400, "invalid_json"),
    (b"[1, 2]", 400, "invalid_body"),
    (b'"cancel_job"', 400, "invalid_body"),
    ({}, 400, "unknown_action"),
    ({"action": "delete_everything"}, 400, "unknown_action"),
    ({"action": 7}, 400, "unknown_action"),
    ({"action": "cancel_job"}, 400, "invalid_job_id"),
    ({"action": "cancel_job", "job_id": 12}, 400, "invalid_job_id"),
    ({"action": "cancel_job", "job_id": "x", "force": True}, 400, "unknown_field"),
    ({"action": "enqueue_job", "scope_key": "NET-1", "iso_week": "2026-W01"}, 400, "invalid_field"),
    ({"action": "enqueue_job", "scope_type": "network", "iso_week": "2026-W01"}, 400, "invalid_field"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1"}, 400, "invalid_period"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1", "iso_week": "2026-W54"}, 400, "invalid_period"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1", "iso_week": "2026-47"}, 400, "invalid_period"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1", "month_key": "2026-13"}, 400, "invalid_period"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1", "month_key": "2026-10", "iso_week": "2026-W40"}, 400, "invalid_period"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1", "month_key": 202610}, 400, "invalid_period"),
    ({"action": "enqueue_job", "scope_type": "<script>", "scope_key": "NET-1", "month_key": "2026-10"}, 400, "invalid_field"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "a\nb", "month_key": "2026-10"}, 400, "invalid_field"),
    ({"action": "enqueue_job", "scope_type": "network", "scope_key": "k" * 201, "month_key": "2026-10"}, 400, "invalid_field"),
    (b"{" + b" " * (64 * 1024) + b"}", 413, "body_too_large"),
]


@pytest.mark.parametrize(("body", "status", "code"), BAD_BODIES)
def test_bad_bodies_are_rejected_and_change_nothing(app_db_path: Path, repo: JobsRepository, body: bytes | dict, status: int, code: str) -> None:
    seed_jobs(repo, 2)
    before = _database_state(app_db_path)
    headers = {"Content-Type": "application/json"}
    reply = jobs("POST", body=body, headers=headers)
    assert (reply.status, reply.body["code"]) == (status, code), reply.body
    assert reply.body["ok"] is False and reply.body["error"]
    assert _database_state(app_db_path) == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])
def test_state_changes_need_a_json_content_type(app_db_path: Path, repo: JobsRepository, content_type: str) -> None:
    [job_id] = seed_jobs(repo, 1)
    reply = jobs("POST", body=f'{{"action":"cancel_job","job_id":"{job_id}"}}'.encode(), headers={"Content-Type": content_type})
    assert reply.status == 415 and reply.body["code"] == "unsupported_media_type"
    assert jobs(params={"job_id": job_id}).body["job"]["status"] == "queued"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method_is_405_with_allow(app_db_path: Path, method: str) -> None:
    reply = jobs(method)
    assert reply.status == 405 and reply.headers["Allow"] == "GET, POST" and reply.body["code"] == "method_not_allowed"


def test_a_cross_origin_post_is_refused(app_db_path: Path, repo: JobsRepository) -> None:
    [job_id] = seed_jobs(repo, 1)
    evil = jobs("POST", body={"action": "cancel_job", "job_id": job_id}, headers={"Origin": "https://evil.example"})
    assert evil.status == 403 and evil.body["code"] == "cross_origin"
    same = jobs("POST", body={"action": "cancel_job", "job_id": job_id}, headers={"Origin": "http://localhost:7071"})
    assert same.status == 200


def test_database_down_is_a_quick_503_without_a_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.app_context import reset_context

    monkeypatch.setenv("AUTH_MODE", "token")
    monkeypatch.setenv("ADMIN_API_TOKEN", "t" * 40)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the database's folder should be")
    monkeypatch.setenv("SQLITE_PATH", str(blocker / "jobs.sqlite3"))
    reset_context()
    try:
        for reply in (jobs(), jobs(params={"job_id": "abc"}), jobs("POST", body={"action": "cancel_job", "job_id": "abc"})):
            assert reply.status == 503 and reply.body["code"] == "database_unavailable"
            assert "Traceback" not in reply.body["error"] and reply.headers.get("Retry-After")
    finally:
        reset_context()


def test_the_list_says_how_long_the_oldest_queued_job_has_waited(repo: JobsRepository) -> None:
    assert jobs().body["queue"] == {"oldest_queued_at": None, "oldest_wait_seconds": None}
    ids = seed_jobs(repo, 3)  # an hour old, a second apart, oldest first
    oldest = jobs(params={"job_id": ids[0]}).body["job"]
    queue = jobs(params={"status": "failed"}).body["queue"]  # whatever the filter shows
    assert queue["oldest_queued_at"] == oldest["created_at"] and queue["oldest_wait_seconds"] >= 3600
    repo.claim("w1", 1, 60, utc_now())
    assert jobs().body["queue"]["oldest_queued_at"] == jobs(params={"job_id": ids[1]}).body["job"]["created_at"]


def test_a_json_body_with_a_utf8_byte_order_mark_is_accepted(repo: JobsRepository) -> None:
    body = '{"action": "enqueue_job", "scope_type": "network", "scope_key": "Zürich", "month_key": "2026-10"}'
    reply = jobs("POST", body=b"\xef\xbb\xbf" + body.encode(), headers={"Content-Type": "application/json"})
    assert reply.status == 201 and reply.body["job"]["scope_key"] == "Zürich"


def test_waiting_retry_lists_only_queued_jobs_waiting_for_their_next_attempt(repo: JobsRepository) -> None:
    ids = seed_jobs(repo, 4)
    now = utc_now()
    claimed = {job.job_id: job for job in repo.claim("w1", 3, 60, now)}  # the three oldest
    later, sooner, _ = sorted(claimed, key=ids.index)
    assert repo.retry_later(claimed[later], 600, "model timed out; retrying", None, now)
    assert repo.retry_later(claimed[sooner], 60, "rate limited; retrying", None, now)

    reply = jobs(params={"waiting": "retry", "limit": "1"})
    assert reply.status == 200, reply.body
    assert_matches_document("/api/admin/jobs", "GET", 200, reply.body)
    assert [job["job_id"] for job in reply.body["jobs"]] == [sooner]  # the next attempt soonest first
    assert reply.body["jobs"][0]["reason"] == "rate limited; retrying" and reply.body["jobs"][0]["run_after"] is not None
    assert reply.body["pagination"] == {"page": 1, "limit": 1, "total": 2, "pages": 2}
    assert [job["job_id"] for job in jobs(params={"waiting": "retry", "page": "2", "limit": "1"}).body["jobs"]] == [later]
    assert reply.body["stats"]["queued"] == 3  # the two waiting and the never-claimed one: statuses stay as they were
    assert jobs(params={"waiting": "retry", "status": "queued"}).body["pagination"]["total"] == 2
    # The "Retrying" chip's count comes with every list and search, the plain list's included.
    views = ({}, {"status": "failed"}, {"q": "NET"}, {"waiting": "retry", "limit": "1"})  # the last: its own total, one job per page
    assert [jobs(params=params).body["stats"]["retrying"] for params in views] == [2, 2, 2, 2]


def test_a_listed_succeeded_job_names_the_model_that_wrote_its_report(repo: JobsRepository) -> None:
    done, failed, _ = seed_jobs(repo, 3)
    claimed = {job.job_id: job for job in repo.claim("w1", 2, 60, utc_now())}
    repo.complete(claimed[done], GeneratedReport('{"headline":"Up 5%"}', 42, "gpt-4o-mini-2024-07-18", 1500, 900, 100), utc_now())
    repo.fail(claimed[failed], "Azure OpenAI request timed out", None, utc_now())

    for params in ({}, {"q": "NET-00"}):
        reply = jobs(params=params)
        assert_matches_document("/api/admin/jobs", "GET", 200, reply.body)
        models = {job["job_id"]: job["gen_model"] for job in reply.body["jobs"]}
        assert models[done] == "gpt-4o-mini-2024-07-18" and models[failed] is None, params


@pytest.mark.parametrize(
    "params", [{"waiting": "soon"}, {"waiting": "retry", "status": "failed"}, {"waiting": "retry", "q": "NET-001"}], ids=["bad-word", "status", "search"]
)
def test_waiting_refuses_what_it_cannot_mean(repo: JobsRepository, params: dict[str, str]) -> None:
    reply = jobs(params=params)
    assert reply.status == 400 and reply.body["code"] == "invalid_parameter", reply.body
    assert "waiting" in reply.body["error"]
