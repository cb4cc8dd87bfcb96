"""The OpenAPI document describes every route, and real replies match it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from shared.clock import utc_now
from shared.jobs.repository import GeneratedReport, JobsRepository
from tests.api.conftest import call, jobs
from tests.api.openapi_check import DOCUMENT, assert_matches_document
from tests.support.jobs import add_job

PATH = "/api/admin/jobs"


def test_the_document_is_served_and_is_openapi_3_1(app_db_path: Path) -> None:
    reply = call("admin_openapi", route="admin/openapi.json")
    assert reply.status == 200 and reply.body == DOCUMENT
    assert reply.body["openapi"] == "3.1.0"


def test_every_http_trigger_route_is_documented() -> None:
    from function_app import app  # noqa: F401 - the routes below come from the same blueprints
    from jobs_api import blueprint as jobs_blueprint
    from worker_timer import blueprint as worker_blueprint

    routes = {
        "/api/" + binding.route
        for blueprint in (jobs_blueprint, worker_blueprint)
        for function_builder in blueprint._function_builders
        for binding in function_builder._function.get_bindings()
        if binding.type == "httpTrigger"
    }
    assert routes == set(DOCUMENT["paths"])


def test_real_replies_match_the_document(app_db_path: Path, repo: JobsRepository) -> None:
    now = utc_now()
    ids = [add_job(repo.db, f"NET-{i}", iso_week="2026-W44", created_by="seed", created_at=now - timedelta(minutes=i)).job_id for i in range(4)]
    claimed = repo.claim("w1", 3, 60, now)
    repo.complete(claimed[0], GeneratedReport('{"headline": "x"}', 3, "gpt-4o", 20, 10, 5), now)
    repo.fail(claimed[1], "boom", "Traceback ...", now)

    cases = [
        ("GET", {}, None, 200),
        ("GET", {"status": "running", "limit": "1"}, None, 200),
        ("GET", {"page": "99"}, None, 200),
        *[("GET", {"job_id": job_id}, None, 200) for job_id in ids],
        ("GET", {"job_id": "nope"}, None, 404),
        ("GET", {"limit": "0"}, None, 400),
        ("POST", {}, {"action": "cancel_job", "job_id": ids[0]}, 200),
        ("POST", {}, {"action": "cancel_job", "job_id": ids[0]}, 409),
        ("POST", {}, {"action": "cancel_job", "job_id": "nope"}, 404),
        ("POST", {}, {"action": "enqueue_job", "scope_type": "network", "scope_key": "K", "iso_week": "2026-W02"}, 201),
        ("POST", {}, {"action": "enqueue_job", "scope_type": "network", "scope_key": "K", "iso_week": "2026-W02"}, 200),
        ("POST", {}, {"action": "nope"}, 400),
        ("POST", {}, b"{", 400),
    ]
    for method, params, body, status in cases:
        reply = jobs(method, params=params, body=body, headers={"Content-Type": "application/json"} if method == "POST" else None)
        assert reply.status == status, (method, params, body, reply.body)
        assert_matches_document(PATH, method, status, reply.body)


@pytest.mark.parametrize(("headers", "status"), [({"Authorization": "Bearer wrong"}, 401), ({"Content-Type": "text/plain"}, 415)])
def test_error_replies_match_the_document(app_db_path: Path, headers: dict[str, str], status: int) -> None:
    reply = call("admin_jobs", "POST", headers={"Authorization": "Bearer " + "t" * 40, **headers}, body=b'{"action": "trigger_worker"}')
    assert reply.status == status
    assert_matches_document(PATH, "POST", status, reply.body)
