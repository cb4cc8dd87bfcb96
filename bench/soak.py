"""Soak: many API requests and worker passes against one local host, whose resources must stay flat.

The host runs as `python -m local_host`, as `make run` starts it, on its own new SQLite database
with the demo data. Every API request comes on a new TCP connection, so the host starts a thread for
each, and every worker pass starts its own job threads: whatever a thread or a pass keeps and never
gives back shows up as growth. The host process is read from /proc after a warm-up, half-way and at
the end: open files, the database files it holds open (SQLite connections), threads and RSS.
"""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.app_env import AUTH_HEADERS, LocalHost

GROWTH_LIMIT = 0.01  # at most 1% above the warm-up figure, for every measure
WARM_UP_SHARE = 0.25  # the first quarter fills caches, the connection pool and the allocator's arenas
MEASURES = ("open_files", "database_files", "threads", "rss_kb")


@dataclass(frozen=True)
class Sample:
    label: str
    requests: int
    passes: int
    open_files: int
    database_files: int  # descriptors on the database, its WAL and shared-memory files
    threads: int
    rss_kb: int


@dataclass
class SoakResult:
    requests: int
    passes: int
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def growth(self, measure: str, since: int = 0) -> float:
        """End over the sample `since` (the warm-up one by default), minus one (0.0 means flat)."""
        start, end = getattr(self.samples[since], measure), getattr(self.samples[-1], measure)
        return (end - start) / start if start else float(end > 0)

    @property
    def flat(self) -> bool:
        return all(self.growth(measure) <= GROWTH_LIMIT for measure in MEASURES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "passes": self.passes,
            "samples": [asdict(s) for s in self.samples],
            "growth": {m: self.growth(m) for m in MEASURES},
            "problems": self.problems,
        }


def settled_sample(pid: int, database: Path, label: str, requests: int, passes: int, reads: int = 10) -> Sample:
    """The host once the last pass's short-lived helpers (the notifications thread) have ended.

    Reads a few times 50 ms apart and keeps each count's lowest reading: a thread or file that is
    leaked stays in every reading, one that is merely finishing does not.
    """
    samples = []
    for _ in range(reads):
        samples.append(read_process(pid, database, label, requests, passes))
        time.sleep(0.05)
    return Sample(
        label,
        requests,
        passes,
        open_files=min(s.open_files for s in samples),
        database_files=min(s.database_files for s in samples),
        threads=min(s.threads for s in samples),
        rss_kb=samples[-1].rss_kb,
    )


def read_process(pid: int, database: Path, label: str, requests: int, passes: int) -> Sample:
    fd_dir = Path(f"/proc/{pid}/fd")
    targets = []
    for entry in fd_dir.iterdir():
        try:
            targets.append(os.readlink(entry))
        except OSError:  # closed between listing and reading
            continue
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return Sample(
        label,
        requests,
        passes,
        open_files=len(targets),
        database_files=sum(target.startswith(str(database)) for target in targets),
        threads=int(status["Threads"]),
        rss_kb=int(status["VmRSS"].split()[0]),
    )


class _Client:
    """One new connection per request, as many browser tabs and scripts would open."""

    def __init__(self, base_url: str) -> None:
        target = urlsplit(base_url)
        self.host, self.port = target.hostname or "127.0.0.1", target.port
        self.etag = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            sent = {**AUTH_HEADERS, **(headers or {})}
            payload = None
            if body is not None:
                payload = json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            conn.request(method, path, body=payload, headers=sent)
            response = conn.getresponse()
            return response.status, response.read(), response.getheader("ETag") or ""
        finally:
            conn.close()


def soak(requests: int, passes: int, warm_up: int | None = None, progress: Callable[[int], None] | None = None) -> SoakResult:
    """`requests` API calls and `passes` worker passes (each with two newly queued jobs), interleaved.

    The first reading comes after `warm_up` of those calls (default: a quarter), once caches and the
    pool are full: SQLite's page cache alone grows by up to 2 MB per pooled connection at first.
    """
    result = SoakResult(requests, passes)
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as folder:
        database = Path(folder) / "soak.sqlite3"
        with LocalHost(database, DEMO_DATA="true", WORKER_CONCURRENCY="4") as host:
            client = _Client(host.base_url)
            scope = _a_demo_scope(client)
            work = requests + passes
            first = int(work * WARM_UP_SHARE) if warm_up is None else warm_up
            checkpoints = {max(1, first): "after warm-up", (first + work) // 2: "middle", work: "end"}
            done_requests = done_passes = 0
            for step in range(1, work + 1):
                # Spread the passes evenly between the requests.
                if done_passes < passes and done_passes * work < step * passes:
                    result.problems += _one_pass(client, scope, done_passes)
                    done_passes += 1
                else:
                    result.problems += _one_request(client, done_requests)
                    done_requests += 1
                if step in checkpoints:
                    result.samples.append(settled_sample(host.process.pid, database, checkpoints[step], done_requests, done_passes))
                if progress:
                    progress(1)
    return result


def _a_demo_scope(client: _Client) -> dict[str, Any]:
    status, body, _ = client.call("GET", "/api/admin/jobs?" + urlencode({"status": "succeeded", "limit": "1"}))
    if status != 200 or not json.loads(body)["jobs"]:
        raise RuntimeError(f"the soak host has no demo jobs to copy a scope from (HTTP {status})")
    job = json.loads(body)["jobs"][0]
    return {key: job[key] for key in ("scope_type", "scope_key", "iso_week", "month_key") if job.get(key)}


def _one_request(client: _Client, index: int) -> list[str]:
    """The page's own calls in turn: list (conditional, as auto-refresh sends it), filters, detail, metrics."""
    kind = index % 5
    if kind == 0:
        status, _, client.etag = client.call("GET", "/api/admin/jobs?page=1&limit=50")
        return [] if status == 200 else [f"list answered {status}"]
    if kind == 1:
        status, _, _ = client.call("GET", "/api/admin/jobs?page=1&limit=50", headers={"If-None-Match": client.etag})
        return [] if status in (200, 304) else [f"conditional list answered {status}"]
    if kind == 2:
        status, _, _ = client.call("GET", "/api/admin/jobs?" + urlencode({"status": "failed", "page": "2"}))
        return [] if status == 200 else [f"filtered list answered {status}"]
    if kind == 3:
        status, body, _ = client.call("GET", "/api/admin/jobs?limit=1")
        job_id = json.loads(body)["jobs"][0]["job_id"] if status == 200 else ""
        status, _, _ = client.call("GET", "/api/admin/jobs?" + urlencode({"job_id": job_id}))
        return [] if status == 200 else [f"detail answered {status}"]
    status, _, _ = client.call("GET", "/api/admin/metrics?" + urlencode({"range": "24h"}))
    return [] if status == 200 else [f"metrics answered {status}"]


def _one_pass(client: _Client, scope: dict[str, Any], index: int) -> list[str]:
    problems = []
    for copy in range(2):
        body = {"action": "enqueue_job", **scope, "scope_key": scope["scope_key"] if copy == 0 else f"SOAK-{index}"}
        status, answer, _ = client.call("POST", "/api/admin/jobs", body)
        if status not in (200, 201):
            problems.append(f"enqueue answered {status}: {answer[:200]!r}")
    status, answer, _ = client.call("POST", "/api/exec/worker/run", {})
    if status != 200:
        problems.append(f"worker run answered {status}: {answer[:200]!r}")
    return problems
