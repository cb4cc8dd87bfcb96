"""`make run` with the job queue: the local host dispatches the queue trigger from Azurite, and
without Azurite it says so and runs jobs on the timer alone."""

from __future__ import annotations

import signal
import socket
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

from tests.local_host.test_worker_and_shutdown import ENQUEUE, enqueue, job_status
from tests.support import llm_stub
from tests.support.host import Host, start_host, wait_for
from tests.support.llm_stub import LlmStub
from tests.worker.helpers import openai_env

NEVER = "0 0 0 1 1 *"  # the timer fires once a year: anything that runs, ran from the queue


def test_a_job_queued_through_the_local_host_starts_from_its_message(tmp_path: Path, azurite: str) -> None:
    env = {
        "AUTH_MODE": None,
        "WORKER_SCHEDULE": NEVER,
        "JOB_DISPATCH": "queue",
        "AzureWebJobsStorage": azurite,
        "JOB_QUEUE_NAME": f"jobs-{uuid.uuid4().hex[:12]}",
    }
    host = start_host(tmp_path, env)
    try:
        job_id = enqueue(host)
        wait_for(lambda: job_status(host, job_id) == "succeeded", 20, "the queue trigger to run the job", host)
        assert "queue worker_queue" in host.log()
        health = host.request("GET", "/api/admin/health").json()
        assert health["queue"]["name"] == env["JOB_QUEUE_NAME"] and health["queue"]["poison_length"] == 0
        assert health["last_run"] is None  # no worker pass ran it
    finally:
        assert host.stop(signal.SIGTERM) == 0


def test_when_azurite_cannot_start_the_host_says_so_and_the_timer_runs_the_jobs(tmp_path: Path) -> None:
    with socket.socket() as taken:  # Azurite's port is taken (bound, not answering), so the emulator exits at once
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        env = {"AUTH_MODE": None, "WORKER_SCHEDULE": "*/1 * * * * *", "JOB_DISPATCH": "queue", "AzureWebJobsStorage": None, "AZURITE_QUEUE_PORT": str(port)}
        host = start_host(tmp_path, env)
    try:
        assert "WARNING: Azurite (the storage emulator) could not start" in host.log()
        job_id = enqueue(host)
        wait_for(lambda: job_status(host, job_id) == "succeeded", 20, "the timer to run the job", host)
        assert host.request("GET", "/api/admin/health").json()["queue"] is None
        assert "queue worker_queue" not in host.log()
    finally:
        assert host.stop(signal.SIGTERM) == 0


def job_row(host: Host, job_id: str) -> tuple[str, int, int]:
    """Status, attempts and stored reports, read from the file (a dead host answers no API call)."""
    with closing(sqlite3.connect(f"file:{host.db_path}?mode=ro", uri=True)) as conn:
        status, attempts = conn.execute("SELECT status, attempts FROM exec_report_jobs WHERE job_id = ?", (job_id,)).fetchone()
        [reports] = conn.execute("SELECT COUNT(*) FROM exec_report_snapshots WHERE job_id = ?", (job_id,)).fetchone()
    return str(status), int(attempts), int(reports)


def test_a_job_whose_queue_host_was_killed_mid_call_runs_again_on_another_host(tmp_path: Path, azurite: str) -> None:
    """A host SIGKILLed while its queue trigger waits on the model: its message stays hidden (the host
    held it), so the job must come back through its lease: the other host's sweep reaps it, and the
    requeue sends a new message that host runs. Nothing is stuck and the job is stored once."""
    this_job = f"{ENQUEUE['scope_key']}\\nPeriod: {ENQUEUE['iso_week']}"  # in the prompt, as the JSON body spells it
    with LlmStub() as stub:
        stub.route(this_job, llm_stub.slow(120))  # its first call never answers in time; demo jobs' calls answer at once
        shared = {
            "AUTH_MODE": None,
            "JOB_DISPATCH": "queue",
            "AzureWebJobsStorage": azurite,
            "JOB_QUEUE_NAME": f"jobs-{uuid.uuid4().hex[:12]}",
            "SQLITE_PATH": str(tmp_path / "shared.sqlite3"),
            "WORKER_LEASE_SECONDS": "10",  # the shortest lease the settings allow
            **openai_env(stub.base_url, timeout=120),
        }
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
        doomed = start_host(tmp_path / "a", {**shared, "WORKER_SCHEDULE": NEVER})
        job_id = enqueue(doomed)
        wait_for(lambda: stub.requests_mentioning(this_job), 20, "the first host to call the model", doomed)
        doomed.process.send_signal(signal.SIGKILL)
        doomed.process.wait(10)
        assert job_row(doomed, job_id)[0] == "running"  # orphaned: leased to a dead host

        survivor = start_host(tmp_path / "b", {**shared, "WORKER_SCHEDULE": "*/1 * * * * *"})
        try:
            wait_for(lambda: job_status(survivor, job_id) == "succeeded", 45, "the lease to expire and the survivor to run the job", survivor)
            assert job_row(survivor, job_id) == ("succeeded", 2, 1)  # the killed attempt counts, and one report is stored
            assert len(stub.requests_mentioning(this_job)) == 2  # the call the killed host never got back, and the survivor's
        finally:
            assert survivor.stop(signal.SIGTERM) == 0
