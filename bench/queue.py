"""The job queue, end to end through `python -m local_host` and one Azurite, with the timer off:

- start latency: enqueue through the API, then how long until the job is running (its started_at),
  one job at a time with idle gaps between, so the host's polling has backed off as it does in life;
- drain: N queued jobs behind the 1 s stub model, three local hosts sharing one SQLite file and one
  queue, "Trigger Worker Now" sends them all; against the ideal for WORKER_GLOBAL_CONCURRENCY, with
  the exactly-once check and the most jobs ever seen running at once;
- 429 storm: the same drain against a stub with a request quota below what the global limit would
  send; every job must succeed with fewer than STORM_MAX_REFUSED_SHARE of the model calls refused.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.app_env import AUTH_HEADERS, LocalHost
from bench.stats import Distribution
from bench.worker import exactly_once_problems, queued_database
from local_host.azurite import Azurite
from shared.clock import as_utc
from tests.support.llm_stub import LlmStub, RateWindow

HOSTS = 3
GLOBAL_LIMIT = 24  # each host runs up to batchSize 16 + newBatchThreshold 8 messages: 72 > 24
IDLE_GAP_SECONDS = (0.1, 2.0)  # between enqueues: the host's polling backs off toward maxPollingInterval
# The storm's quota: 12 requests a second in 5 s windows, half of what 24 running jobs behind a 1 s model ask for.
STORM_QUOTA = RateWindow(requests=60, seconds=5)
STORM_MAX_REFUSED_SHARE = 0.10


def _post(base_url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base_url}/api/admin/jobs", data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json", **AUTH_HEADERS}
    )
    with urllib.request.urlopen(request, timeout=30) as reply:  # the local host on 127.0.0.1
        return json.loads(reply.read())  # type: ignore[no-any-return]


def _queue_settings(connection: str, queue: str, **extra: str) -> dict[str, str]:
    return {"JOB_DISPATCH": "queue", "AzureWebJobsStorage": connection, "JOB_QUEUE_NAME": queue, **extra}


def _started_at(path: Path, job_id: str) -> datetime | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT started_at FROM exec_report_jobs WHERE job_id = ?", (job_id,)).fetchone()
    finally:
        conn.close()
    return as_utc(row[0]) if row and row[0] else None


def start_latency(jobs: int) -> Distribution:
    """Seconds from sending the enqueue request to the job's claim, over `jobs` jobs."""
    work = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    path = work / "jobs.sqlite3"
    seconds: list[float] = []
    with Azurite() as azurite, LocalHost(path, **_queue_settings(azurite.connection_string, f"bench-{uuid.uuid4().hex[:10]}")) as host:
        for index in range(jobs):
            time.sleep(random.uniform(*IDLE_GAP_SECONDS))
            sent = time.time()
            job = _post(host.base_url, {"action": "enqueue_job", "scope_type": "network", "scope_key": f"BENCH-{index}", "iso_week": "2026-W07"})["job"]
            deadline = time.monotonic() + 30
            while (started := _started_at(path, job["job_id"])) is None and time.monotonic() < deadline:
                time.sleep(0.01)
            if started is None:
                raise RuntimeError(f"job {job['job_id']} did not start within 30 s")
            seconds.append(max(started.timestamp() - sent, 0.0))
    shutil.rmtree(work)
    return Distribution.of(seconds)


@dataclass(frozen=True)
class QueueDrain:
    jobs: int
    hosts: int
    global_limit: int
    latency: float
    seconds: float
    most_running: int
    model_calls: int
    refused_calls: int  # answered 429
    quota_per_second: float | None  # the stub's request quota, when it has one
    problems: list[str]

    @property
    def ideal_seconds(self) -> float:
        waves = -(-self.jobs // self.global_limit) * self.latency
        return max(waves, self.jobs / self.quota_per_second) if self.quota_per_second else waves

    @property
    def refused_share(self) -> float:
        return self.refused_calls / self.model_calls if self.model_calls else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "jobs": self.jobs,
            "hosts": self.hosts,
            "global_limit": self.global_limit,
            "model_latency_s": self.latency,
            "seconds": round(self.seconds, 2),
            "ideal_seconds": self.ideal_seconds,
            "ratio": round(self.seconds / self.ideal_seconds, 3),
            "most_running": self.most_running,
            "model_calls": self.model_calls,
            "refused_calls": self.refused_calls,
            "refused_share": round(self.refused_share, 4),
            "quota_per_second": self.quota_per_second,
            "problems": self.problems,
        }


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path, timeout=30)
    try:
        return dict(conn.execute("SELECT status, n FROM exec_report_job_counts").fetchall())
    finally:
        conn.close()


def drain(jobs: int, latency: float = 1.0, hosts: int = HOSTS, global_limit: int = GLOBAL_LIMIT, quota: RateWindow | None = None) -> QueueDrain:
    path = queued_database(jobs)  # queued jobs written straight into the table: no messages yet
    queue = f"bench-{uuid.uuid4().hex[:10]}"
    with LlmStub(latency=latency, rate_limit=quota) as stub, Azurite() as azurite:
        model = {"REPORT_GENERATOR": "openai", "OPENAI_BASE_URL": stub.base_url, "OPENAI_API_KEY": "bench", "OPENAI_MODEL": "stub-model"}
        settings = _queue_settings(azurite.connection_string, queue, WORKER_GLOBAL_CONCURRENCY=str(global_limit), **model)
        started_hosts = [LocalHost(path, **settings) for _ in range(hosts)]
        try:
            most_running = 0
            started = time.monotonic()
            reply = _post(started_hosts[0].base_url, {"action": "trigger_worker"})
            problems = [] if reply.get("dispatched") == jobs else [f"Trigger Worker Now sent {reply.get('dispatched')} of {jobs} jobs"]
            deadline = started + max(600.0, jobs * latency * 3)
            while time.monotonic() < deadline:
                counts = _counts(path)
                most_running = max(most_running, counts.get("running", 0))
                if not counts.get("queued") and not counts.get("running"):
                    break
                time.sleep(0.05)
            seconds = time.monotonic() - started
        finally:
            stoppers = [threading.Thread(target=host.__exit__, args=(None, None, None)) for host in started_hosts]
            for stopper in stoppers:
                stopper.start()
            for stopper in stoppers:
                stopper.join()
    if most_running > global_limit:
        problems.append(f"{most_running} jobs ran at once; the global limit is {global_limit}")
    problems += exactly_once_problems(path, jobs, _counts(path).get("succeeded", 0))
    refused = quota.refused if quota else 0
    if len(stub.requests) - refused != jobs:
        problems.append(f"{len(stub.requests) - refused} model calls answered for {jobs} jobs")
    shutil.rmtree(path.parent)
    quota_per_second = quota.requests / quota.seconds if quota else None
    return QueueDrain(jobs, hosts, global_limit, latency, seconds, most_running, len(stub.requests), refused, quota_per_second, problems)


def storm(jobs: int) -> QueueDrain:
    """The drain against a request quota: the workers must slow to it rather than meet 429 after 429."""
    return drain(jobs, quota=RateWindow(STORM_QUOTA.requests, STORM_QUOTA.seconds))
