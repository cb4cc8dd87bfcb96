"""Azurite, Microsoft's Azure Storage emulator (the `azurite` npm package), on loopback: its queue
service is all the app uses. `make run` and the tests start it; the set-up installs it into .tools/.

It runs with `--skipApiVersionCheck` because the Python storage SDK may speak a newer REST version
than the emulator release knows; the queue operations the app uses are unchanged across them.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
from contextlib import closing
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
INSTALLED = ROOT / ".tools" / "azurite" / "node_modules" / ".bin" / "azurite-queue"  # where the set-up puts it
START_TIMEOUT_SECONDS = 30.0
# Azurite's well-known development account (learn.microsoft.com/azure/storage/common/storage-use-azurite#http-connection-strings).
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="  # the emulator's published key, not a secret
DEVELOPMENT_STORAGE = "UseDevelopmentStorage=true"


class AzuriteError(RuntimeError):
    """Azurite is not installed or did not start; the message says which and how to fix it."""


def connection_string(port: int) -> str:
    return f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};QueueEndpoint=http://127.0.0.1:{port}/{ACCOUNT};"


def find_executable() -> Path:
    found = INSTALLED if INSTALLED.exists() else (Path(which) if (which := shutil.which("azurite-queue")) else None)
    if found is None:
        raise AzuriteError("azurite-queue is not installed (`make system-deps` installs it into .tools/azurite)")
    return found


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Azurite:
    """One azurite-queue process on 127.0.0.1:`port` (0: a free one); in memory unless `location` is given."""

    def __init__(self, port: int = 0, location: Path | None = None) -> None:
        self.port = port or free_port()
        self.location = location
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def connection_string(self) -> str:
        return connection_string(self.port)

    def start(self) -> Azurite:
        command = [str(find_executable()), "--queueHost", "127.0.0.1", "--queuePort", str(self.port), "--skipApiVersionCheck", "--silent"]
        if self.location is None:
            command.append("--inMemoryPersistence")
        else:
            self.location.mkdir(parents=True, exist_ok=True)
            command += ["--location", str(self.location)]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as err:
            raise AzuriteError(f"azurite-queue could not be started: {err}") from None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = (self.process.stderr.read() if self.process.stderr else b"").decode(errors="replace").strip()
                raise AzuriteError(f"azurite-queue exited with status {self.process.returncode}: {error[-300:] or 'no message'}")
            if _listening(self.port):
                log.info("Azurite queue service on 127.0.0.1:%d", self.port)
                return self
            time.sleep(0.1)
        self.stop()
        raise AzuriteError(f"azurite-queue did not listen on 127.0.0.1:{self.port} within {START_TIMEOUT_SECONDS:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def __enter__(self) -> Azurite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
