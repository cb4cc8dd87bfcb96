"""Point the app at one benchmark database, in this process or in a local host subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import azure.functions as func

from bench.sizes import BENCH_DIR

TOKEN = "bench-" + "t" * 40
AUTH_HEADERS = {"Authorization": f"Bearer {TOKEN}"}
APP_ROOT = BENCH_DIR.parent
# A worker timer that never fires during a run, so the measured databases stay as built.
NEVER = "0 0 0 1 1 *"


def app_settings(sqlite_path: Path, **extra: str) -> dict[str, str]:
    return {
        "DB_BACKEND": "sqlite",
        "SQLITE_PATH": str(sqlite_path),
        "AUTH_MODE": "token",
        "ADMIN_API_TOKEN": TOKEN,
        "WORKER_SCHEDULE": NEVER,
        "REPORT_GENERATOR": "offline",
        "JOB_DISPATCH": "timer",  # bench/queue.py measures the queue, with its own Azurite
        **extra,
    }


@contextmanager
def in_process(sqlite_path: Path, **extra: str) -> Iterator[None]:
    """This process's settings and app context point at `sqlite_path` for the block."""
    from shared.app_context import reset_context

    saved = dict(os.environ)
    os.environ.update(app_settings(sqlite_path, **extra))
    reset_context()
    try:
        yield
    finally:
        reset_context()
        os.environ.clear()
        os.environ.update(saved)


_FUNCTIONS: dict[str, Callable[[func.HttpRequest], func.HttpResponse]] = {}


def function(name: str) -> Callable[[func.HttpRequest], func.HttpResponse]:
    """The real function object from function_app.py (get_functions() may run once per app)."""
    if not _FUNCTIONS:
        from function_app import app

        _FUNCTIONS.update({f.get_function_name(): f.get_user_function() for f in app.get_functions()})
    return _FUNCTIONS[name]


def jobs_request(params: dict[str, str], headers: dict[str, str] | None = None) -> func.HttpRequest:
    return func.HttpRequest(
        "GET", "http://127.0.0.1:7071/api/admin/jobs", headers={"Host": "127.0.0.1:7071", **AUTH_HEADERS, **(headers or {})}, params=params, body=b""
    )


class LocalHost:
    """`python -m local_host` on a free port, as a subprocess; stopped with SIGTERM."""

    def __init__(self, sqlite_path: Path, **extra: str) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="bench-local-host-", suffix=".log", delete=False)  # noqa: SIM115 - kept open for the subprocess
        env = {**os.environ, **app_settings(sqlite_path, **extra), "PORT": "0", "HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([sys.executable, "-m", "local_host"], cwd=APP_ROOT, env=env, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.base_url = self._wait_for_url()

    def _wait_for_url(self, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.search(r"API:\s+(http://\S+)/api", line)
            if match:
                return match.group(1)
        self.stop()
        raise RuntimeError(f"the local host did not start; see {self.log.name}: {Path(self.log.name).read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> LocalHost:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
        Path(self.log.name).unlink(missing_ok=True)
