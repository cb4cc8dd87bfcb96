"""`make run` with the job queue: the local host dispatches the queue trigger from Azurite, and
without Azurite it says so and runs jobs on the timer alone."""

from __future__ import annotations

import signal
import socket
import uuid
from pathlib import Path

from tests.local_host.test_worker_and_shutdown import enqueue, job_status
from tests.support.host import start_host, wait_for

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
