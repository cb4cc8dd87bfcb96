"""The viewer role sees everything and can change nothing; /api/admin/me tells the page which."""

from __future__ import annotations

import pytest

from shared.jobs.repository import JobsRepository
from tests.api.conftest import AUTH, call, get_raw, principal
from tests.api.openapi_check import assert_matches_document
from tests.support import jobs as make

VIEWER = principal(["viewer"], name="vera@contoso.com")


def me(headers: dict[str, str]):
    return call("admin_me", headers=headers, route="admin/me")


def test_me_tells_an_admin_from_a_viewer(app_db_path) -> None:
    admin = me(principal(["admin"]))
    viewer = me(VIEWER)
    token = me(AUTH)
    assert admin.body == {"ok": True, "name": "ada@contoso.com", "mode": "platform", "can_write": True}
    assert viewer.body == {"ok": True, "name": "vera@contoso.com", "mode": "platform", "can_write": False}
    assert token.body["can_write"] is True and token.body["mode"] == "token"
    for reply in (admin, viewer, token):
        assert_matches_document("/api/admin/me", "GET", 200, reply.body)


def test_me_needs_a_signed_in_user_and_only_answers_get(app_db_path) -> None:
    assert me({}).status == 401
    assert me(principal(["authenticated-only"])).status == 403
    wrong = call("admin_me", "POST", headers=AUTH, body={}, route="admin/me")
    assert wrong.status == 405 and wrong.headers["Allow"] == "GET"


def test_a_viewer_reads_the_list_search_details_audit_and_exports(repo: JobsRepository) -> None:
    job = make.failed(repo.db, "NET-1")
    assert call("admin_jobs", headers=VIEWER).body["stats"]["failed"] == 1
    assert call("admin_jobs", headers=VIEWER, params={"q": "NET"}).body["pagination"]["total"] == 1
    assert call("admin_jobs", headers=VIEWER, params={"job_id": job.job_id}).status == 200
    assert call("admin_audit", headers=VIEWER, route="admin/audit").status == 200
    export = get_raw("admin_jobs_export", "admin/jobs/export", VIEWER)
    assert export.status_code == 200 and job.job_id in export.get_body().decode("utf-8-sig")


@pytest.mark.parametrize(
    "body",
    [
        {"action": "retry_job", "job_id": "JOB"},
        {"action": "cancel_job", "job_id": "QUEUED"},
        {"action": "bulk_cancel", "filter": {}},
        {"action": "bulk_retry", "job_ids": ["JOB"]},
        {"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-9", "iso_week": "2026-W02"},
        {"action": "trigger_worker"},
    ],
)
def test_every_write_by_a_viewer_is_403_and_changes_nothing(repo: JobsRepository, body: dict) -> None:
    failed, queued = make.failed(repo.db, "NET-1"), make.queued(repo.db, "NET-2")
    ids = {"JOB": failed.job_id, "QUEUED": queued.job_id}
    body = {
        key: ids.get(value, value) if isinstance(value, str) else [ids.get(v, v) for v in value] if isinstance(value, list) else value
        for key, value in body.items()
    }
    before = repo.counts()
    reply = call("admin_jobs", "POST", headers=VIEWER, body=body)
    assert reply.status == 403 and reply.body["code"] == "forbidden" and "read-only" in reply.body["error"]
    assert repo.counts() == before
    assert call("admin_audit", headers=AUTH, route="admin/audit").body["entries"] == []
