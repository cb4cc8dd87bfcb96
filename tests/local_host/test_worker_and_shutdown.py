"""The real worker timer through the local host, and Ctrl-C / SIGTERM with jobs in flight."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

from tests.support.host import REPO, Host, start_host, wait_for
from tests.support.llm_stub import LlmStub

EVERY_SECOND = "*/1 * * * * *"
ENQUEUE = {"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-EMEA", "iso_week": "2026-W40"}


def job_status(host: Host, job_id: str) -> str:
    return str(host.request("GET", f"/api/admin/jobs?job_id={job_id}").json()["job"]["status"])


def enqueue(host: Host) -> str:
    reply = host.request("POST", "/api/admin/jobs", body=ENQUEUE)
    assert reply.status == 201, reply.body
    return str(reply.json()["job"]["job_id"])


def test_the_timer_worker_turns_a_queued_job_into_a_snapshot_and_sigterm_stops_cleanly(tmp_path: Path) -> None:
    host = start_host(tmp_path, {"AUTH_MODE": None, "WORKER_SCHEDULE": EVERY_SECOND, "REPORT_GENERATOR": "offline"})
    try:
        job_id = enqueue(host)
        wait_for(lambda: job_status(host, job_id) == "succeeded", 20, "the timer to run the job", host)
        detail = host.request("GET", f"/api/admin/jobs?job_id={job_id}").json()
        assert detail["snapshot"]["rows_used"] > 0
        assert "offline" in detail["snapshot"]["gen_model"]
        # The job commits before the pass ends, so the run's log line may come a moment later.
        wait_for(lambda: "timer worker_timer ran in" in host.log(), 10, "the timer run's log line", host)
        assert "worker pass" in host.log()  # the worker's own run summary
        _assert_real_site_headers(host)
    finally:
        assert host.stop(signal.SIGTERM) == 0
    assert "stopped" in host.log()


def _assert_real_site_headers(host: Host) -> None:
    """The admin page from static_site/, with every global header its config names."""
    config = json.loads((REPO / "static_site" / "staticwebapp.config.json").read_text(encoding="utf-8"))
    page = host.request("GET", "/admin/jobs")
    assert page.status == 200
    for name, value in config.get("globalHeaders", {}).items():
        if value:
            assert page.headers[name.lower()] == value


def claimed_by(host: Host, status: str) -> list[str]:
    """Jobs in `status` whose lease names this host's process (worker ids are host:pid:pass)."""
    with sqlite3.connect(host.db_path) as db:
        rows = db.execute(
            "SELECT job_id FROM exec_report_jobs WHERE status = ? AND worker_id LIKE ?",
            (status, f"%:{host.process.pid}:%"),
        ).fetchall()
    return [row[0] for row in rows]


def test_ctrl_c_with_jobs_in_flight_leaves_none_of_them_running(tmp_path: Path) -> None:
    # The model (a stub speaking the OpenAI API) takes minutes: the jobs are mid-call at Ctrl-C.
    with LlmStub(latency=120) as model:
        env = {
            "AUTH_MODE": None,
            "WORKER_SCHEDULE": EVERY_SECOND,
            "WORKER_CONCURRENCY": "16",
            "WORKER_GLOBAL_CONCURRENCY": "64",  # the demo's running jobs count against the global limit too
            "REPORT_GENERATOR": "openai",
            "OPENAI_BASE_URL": model.base_url,
            "OPENAI_API_KEY": "stub-key",
            "OPENAI_MODEL": "stub-model",
            "MODEL_TIMEOUT_SECONDS": "60",
        }
        host = start_host(tmp_path, env)
        job_id = enqueue(host)
        in_flight = wait_for(lambda: job_id in claimed_by(host, "running") and claimed_by(host, "running"), 20, "the job to be claimed", host)
        assert model.wait_for_requests(len(in_flight), timeout=20)
        assert host.stop(signal.SIGINT) == 0
    assert claimed_by(host, "running") == []
    with sqlite3.connect(host.db_path) as db:
        statuses = dict(db.execute(f"SELECT job_id, status FROM exec_report_jobs WHERE job_id IN ({','.join('?' * len(in_flight))})", in_flight))
    assert set(statuses.values()) == {"queued"}  # released unfinished, to run again, no attempt spent
    assert "stopped" in host.log()
