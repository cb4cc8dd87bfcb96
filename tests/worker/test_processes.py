"""Worker processes sharing one database file: exactly-once processing, and recovery from a SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.app_context import AppContext
from shared.clock import utc_now
from shared.jobs.models import Status
from shared.worker.runner import run_pass
from shared.worker.runs import WorkerRunsRepository
from tests.api.conftest import AUTH, call
from tests.support import llm_stub
from tests.support.jobs import add_job
from tests.support.llm_stub import LlmStub
from tests.worker.helpers import FAST, add_week_rows, snapshot_count

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
JOBS = 2_000
SCOPES = 20


def worker(db_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.worker.worker_process", "--db", str(db_path), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def reaped(processes: list[subprocess.Popen[str]]) -> Iterator[None]:
    try:
        yield
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def test_four_processes_process_every_job_exactly_once(offline: AppContext, db_path: Path, tmp_path: Path) -> None:
    for scope in range(SCOPES):
        add_week_rows(offline, f"S{scope:02d}")
    for index in range(JOBS):
        add_job(offline.db, f"S{index % SCOPES:02d}")
    go = tmp_path / "go"
    processes = [worker(db_path, "--go", str(go)) for _ in range(PROCESSES)]

    with reaped(processes):
        go.touch()  # all four start claiming together
        outputs = [process.communicate(timeout=80) for process in processes]

    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
    summaries = [json.loads(stdout.strip().splitlines()[-1]) for stdout, _ in outputs]
    with sqlite3.connect(db_path) as conn:
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM exec_report_jobs GROUP BY status").fetchall())
        snapshots, distinct_jobs = conn.execute("SELECT COUNT(*), COUNT(DISTINCT job_id) FROM exec_report_snapshots").fetchone()
        attempts = conn.execute("SELECT MAX(attempts) FROM exec_report_jobs").fetchone()[0]
    assert statuses == {Status.SUCCEEDED: JOBS}  # none left queued or running
    assert snapshots == distinct_jobs == JOBS  # one report per job, never two
    assert attempts == 1  # no job was claimed twice
    assert sum(summary["claimed"] for summary in summaries) == JOBS
    assert sum(summary["succeeded"] for summary in summaries) == JOBS
    assert sum(1 for summary in summaries if summary["claimed"]) >= 2, "the processes did not actually compete"
    assert all(summary["error"] is None for summary in summaries)


def test_a_job_whose_worker_was_killed_is_finished_by_a_later_pass_and_the_lost_run_audited(
    model: AppContext, stub: LlmStub, db_path: Path, app_db_path: Path
) -> None:
    assert app_db_path == db_path  # the in-process app's functions read the file the worker processes share
    stub.script(llm_stub.slow(30))  # the killed worker's call; later calls answer at once
    add_week_rows(model, "NET-EMEA")
    job = add_job(model.db, "NET-EMEA")
    process = worker(db_path, "--base-url", stub.base_url, "--lease", "1.5")
    with reaped([process]):
        assert stub.wait_for_requests(1, timeout=20), "the worker process never called the model"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    orphan = model.jobs.get(job.job_id)
    assert orphan is not None and orphan.status == Status.RUNNING and orphan.lease_expires_at is not None
    # While its lease lasts, nobody else may take the job.
    if utc_now() < orphan.lease_expires_at:
        assert run_pass(model, "timer", budget_seconds=10, options=FAST).claimed == 0
    while utc_now() <= orphan.lease_expires_at:
        time.sleep(0.05)

    summary = run_pass(model, "timer", budget_seconds=10, options=FAST)

    finished = model.jobs.get(job.job_id)
    assert finished is not None
    assert (finished.status, finished.attempts, finished.reason) == (Status.SUCCEEDED, 2, "ok")
    assert (summary.reaped, summary.claimed, summary.succeeded) == (1, 1, 1)
    assert snapshot_count(model, job.job_id) == 1
    killed_run = next(run for run in WorkerRunsRepository(model.db).list_recent(10) if str(process.pid) in run.worker_id)
    assert killed_run.finished_at is None  # the dead pass never recorded an end: health can show it
    assert killed_run.error is not None and killed_run.error.startswith("killed mid-pass")

    # The admin's audit log, read through the real function, names the killed run and its job, by the reaper.
    reply = call("admin_audit", headers=AUTH, route="admin/audit")
    assert reply.status == 200, reply.body
    lost = [entry for entry in reply.body["entries"] if entry["action"] == "worker_run_lost"]
    assert [(entry["actor"], entry["job_id"]) for entry in lost] == [("lease reaper", job.job_id)]
    assert f"run {killed_run.run_id} (timer pass" in lost[0]["detail"] and killed_run.worker_id in lost[0]["detail"]
    # A later pass reaps nothing more and audits the run no second time.
    run_pass(model, "timer", budget_seconds=10, options=FAST)
    again = call("admin_audit", headers=AUTH, route="admin/audit").body["entries"]
    assert [entry["action"] for entry in again].count("worker_run_lost") == 1
