"""The real local host (`python -m local_host`) in a subprocess on a free port, with its own SQLite file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
START_DEADLINE_SECONDS = 30
READY_PATH = "/assets/favicon.svg"  # needs no role in any AUTH_MODE
# No timer pass may change jobs under a test: the worker runs only when a test clicks for it.
NEVER = "0 0 0 1 1 *"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalHost:
    process: subprocess.Popen[bytes]
    base_url: str
    sqlite_path: Path
    log_path: Path

    def api(self, query: str = "", body: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call the jobs API as a loopback admin, to learn what the page should show."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if body is not None else {}
        request = urllib.request.Request(f"{self.base_url}/api/admin/jobs{query}", data=data, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def run_worker(self) -> dict[str, Any]:
        """A whole worker pass, synchronously (POST /api/exec/worker/run, the scripts' way), as a loopback admin."""
        request = urllib.request.Request(f"{self.base_url}/api/exec/worker/run", data=b"{}", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_host(workdir: Path, sqlite_path: Path | None = None, **env: str) -> LocalHost:
    port = free_port()
    sqlite_path = sqlite_path or workdir / "jobs.sqlite3"
    log_path = workdir / f"local_host_{port}.log"
    environment = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SQLITE_PATH": str(sqlite_path),
        "DEMO_DATA": "true",  # seeded only when the host creates the file: a prepared database stays as it is
        "STATIC_DIR": str(REPO / "static_site"),
        "AUTH_MODE": "local",
        "WORKER_SCHEDULE": NEVER,
        "REPORT_GENERATOR": "offline",
        "JOB_DISPATCH": "timer",  # tests that want the queue pass it with Azurite's AzureWebJobsStorage
        **env,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "local_host"], cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT)
    host = LocalHost(process, f"http://127.0.0.1:{port}", sqlite_path, log_path)
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local host exited with {process.returncode}:\n{host.log()}")
        try:
            with urllib.request.urlopen(host.base_url + READY_PATH, timeout=2) as response:
                if response.status == 200:
                    return host
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    host.stop()
    raise RuntimeError(f"local host did not answer within {START_DEADLINE_SECONDS} s:\n{host.log()}")
