"""The audit log: every admin action is recorded with who and when, shown newest first."""

from __future__ import annotations

import re

from shared.jobs.repository import JobsRepository
from tests.api.conftest import AUTH, call, jobs, principal
from tests.api.openapi_check import assert_matches_document
from tests.support import jobs as make

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def audit(**params: str) -> dict:
    reply = call("admin_audit", headers=AUTH, params=params, route="admin/audit")
    assert reply.status == 200, reply.body
    assert_matches_document("/api/admin/audit", "GET", 200, reply.body)
    return reply.body


def test_enqueue_cancel_retry_bulk_and_worker_runs_are_recorded_with_who(repo: JobsRepository) -> None:
    admin = principal(["admin"], name="ada@contoso.com")
    created = call(
        "admin_jobs", "POST", headers=admin, body={"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-1", "iso_week": "2026-W02"}
    ).body["job"]["job_id"]
    call("admin_jobs", "POST", headers=admin, body={"action": "cancel_job", "job_id": created})
    call("admin_jobs", "POST", headers=admin, body={"action": "retry_job", "job_id": created})
    jobs("POST", body={"action": "bulk_cancel", "filter": {"q": "NET"}})
    jobs("POST", body={"action": "trigger_worker"})
    call("worker_run_now", "POST", headers=AUTH, body={}, route="exec/worker/run")

    entries = audit()["entries"]
    assert [(e["actor"], e["action"], e["job_id"]) for e in entries] == [
        ("api-token", "trigger_worker", None),
        ("api-token", "trigger_worker", None),
        ("api-token", "bulk_cancel", None),
        ("ada@contoso.com", "retry_job", created),
        ("ada@contoso.com", "cancel_job", created),
        ("ada@contoso.com", "enqueue_job", created),
    ]
    assert all(ISO_Z.match(e["at"]) for e in entries)
    assert entries[2]["detail"] == "1 changed, 0 skipped; filter q=NET"
    assert entries[0]["detail"].endswith("no jobs claimed")


def test_refused_actions_leave_no_entry(repo: JobsRepository) -> None:
    job = make.succeeded(repo.db, "NET-1")
    assert jobs("POST", body={"action": "cancel_job", "job_id": job.job_id}).status == 409
    assert jobs("POST", body={"action": "retry_job", "job_id": job.job_id}).status == 409
    assert audit()["entries"] == []


def test_pages_go_back_in_time_with_a_cursor(repo: JobsRepository) -> None:
    for i in range(5):
        jobs("POST", body={"action": "enqueue_job", "scope_type": "network", "scope_key": f"NET-{i}", "iso_week": "2026-W02"})
    first = audit(limit="2")
    assert first["total"] == 5 and len(first["entries"]) == 2 and first["next_before"] is not None
    second = audit(limit="2", before=str(first["next_before"]))
    third = audit(limit="2", before=str(second["next_before"]))
    ids = [e["audit_id"] for page in (first, second, third) for e in page["entries"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5 and third["next_before"] is None
    assert call("admin_audit", headers=AUTH, params={"limit": "0"}, route="admin/audit").status == 400
