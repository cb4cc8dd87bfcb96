"""The one host launcher of the tests: the local host as users run it (`python -m local_host`) in a
subprocess on a free port, with its own SQLite file and a clean environment, spoken to over real HTTP.
The browser tests, the local host's own tests and schemathesis all start it through start_host."""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from shared.config import SETTINGS

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
# No timer pass may change jobs under a test: the worker runs only when a test asks for it.
NEVER = "0 0 0 1 1 *"
# Settings from the developer's shell must not leak into a host under test.
_HOST_VARIABLES = {setting.name for setting in SETTINGS} | {
    "HOST",
    "PORT",
    "STATIC_DIR",
    "ECHO_SCHEDULE",
    "TICK_LOG",
    "TICK_SECONDS",
    "AzureWebJobsStorage",
    "AZURITE_QUEUE_PORT",
}
# Everything a caller could change through the API: jobs, their history and audit trail, worker runs, schedules.
WATCHED_TABLES = ("exec_report_jobs", "exec_report_job_events", "exec_report_audit_log", "exec_report_worker_runs", "exec_report_schedules")


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Host:
    process: subprocess.Popen[str]
    base_url: str
    db_path: Path
    log_lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(urlsplit(self.base_url).port or 0)

    def api(self, query: str = "", body: dict[str, Any] | None = None) -> Any:
        """GET (or, with a body, POST) /api/admin/jobs as a loopback admin, to learn what a page should show."""
        reply = self.request("GET" if body is None else "POST", f"/api/admin/jobs{query}", body)
        assert reply.status in (200, 201), f"/api/admin/jobs{query} answered {reply.status}: {reply.body[:500]!r}"
        return reply.json()

    def run_worker(self) -> Any:
        """A whole worker pass, synchronously (POST /api/exec/worker/run, the scripts' way), as a loopback admin."""
        reply = self.request("POST", "/api/exec/worker/run", {})
        assert reply.status == 200, f"the worker run answered {reply.status}: {reply.body[:500]!r}"
        return reply.json()

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Response:
        payload = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
        sent = {"Content-Type": "application/json"} if body is not None else {}
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=payload, headers=sent)
            reply = connection.getresponse()
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
        finally:
            connection.close()

    def raw(self, data: bytes, read_timeout: float = 10.0) -> bytes:
        """Bytes as sent on the wire (no client library to normalise them), and all bytes answered."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout) as sock:
            sock.sendall(data)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def log(self) -> str:
        return "\n".join(self.log_lines)

    def database(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the watched tables, read from the host's SQLite file."""
        with closing(sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)) as conn:
            return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in WATCHED_TABLES}

    def stop(self, sig: int = signal.SIGINT, timeout: float = 45.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"the host did not stop within {timeout} s after signal {sig}:\n{self.log()}") from None


def start_host(tmp_path: Path, env: dict[str, str | None] | None = None, app_dir: Path | None = None) -> Host:
    """Start a host on a free port with its own SQLite file (`SQLITE_PATH` in `env` names another);
    `env` values of None are left unset.

    `app_dir` is the working directory, where `function_app` is imported from and
    local.settings.json is read; by default a fresh temp folder, so the real app is used.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "local_host"],
        cwd=_cwd(tmp_path, app_dir),
        env=_child_env(tmp_path, env or {}),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    host = Host(process, "", Path((env or {}).get("SQLITE_PATH") or tmp_path / "jobs.sqlite3"))
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            host.log_lines.append(line.rstrip("\n"))
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            raise AssertionError(f"the host exited with {process.wait()} before listening:\n{host.log()}")
        if line.startswith("Admin page: "):
            host.base_url = line.split()[-1].removesuffix("/admin/jobs")
            return host
    process.kill()
    raise AssertionError(f"the host did not print its URL within {START_TIMEOUT} s:\n{host.log()}")


def run_host_until_exit(tmp_path: Path, env: dict[str, str | None], app_dir: Path | None = None) -> tuple[int, str]:
    """For hosts that must refuse to start: their exit code and output."""
    done = subprocess.run(
        [sys.executable, "-m", "local_host"],
        cwd=_cwd(tmp_path, app_dir),
        env=_child_env(tmp_path, env),
        check=False,
        text=True,
        capture_output=True,
        timeout=60,
    )
    return done.returncode, done.stdout + done.stderr


def _child_env(tmp_path: Path, env: dict[str, str | None]) -> dict[str, str]:
    child_env = {name: value for name, value in os.environ.items() if name not in _HOST_VARIABLES}
    child_env.update({"SQLITE_PATH": str(tmp_path / "jobs.sqlite3"), "DEMO_DATA": "true", "PORT": "0", "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"})
    child_env.update({"JOB_DISPATCH": "timer"})  # the timer alone, unless a test gives the host a queue (tests/local_host/test_queue.py)
    for name, value in env.items():
        if value is None:
            child_env.pop(name, None)
        else:
            child_env[name] = value
    return child_env


def _cwd(tmp_path: Path, app_dir: Path | None) -> Path:
    cwd = app_dir or tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    return cwd


def wait_for(condition: Any, timeout: float, what: str, host: Host | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}" + (f"\n{host.log()}" if host else ""))
