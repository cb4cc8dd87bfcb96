"""The queue trigger end to end: real Azurite, the real function objects from function_app.py,
dispatched by the local host's QueueRunner as the Functions host would, on a real SQLite file and
the real openai SDK against the stub."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from azure.storage.queue import QueueClient

from local_host.functions import load_functions
from local_host.queues import QueueOptions, QueueRunner
from local_host.work import WorkTracker
from shared.app_context import AppContext, get_context, reset_context
from shared.queue.storage import poison_name, queue_client, service_client
from shared.reports import rate_limits
from shared.worker import lifecycle
from tests.support.llm_stub import LlmStub
from tests.worker.helpers import openai_env

TOKEN = "q" * 40
# Quick retries so a poison message takes a second, not minutes; the rest as host.json has it.
TEST_OPTIONS = QueueOptions(max_polling_interval=0.5, visibility_timeout=0, batch_size=16, new_batch_threshold=8, max_dequeue_count=2)


@dataclass
class QueueApp:
    context: AppContext
    queue: QueueClient
    poison: QueueClient
    stub: LlmStub
    start_runner: Callable[[], QueueRunner]

    def queue_length(self) -> int:
        return int(self.queue.get_queue_properties().approximate_message_count)

    def poison_length(self) -> int:
        return int(self.poison.get_queue_properties().approximate_message_count)


@pytest.fixture
def queue_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, azurite: str) -> Iterator[QueueApp]:
    lifecycle.reset()
    rate_limits.GATE.reset()
    name = f"jobs-{uuid.uuid4().hex[:12]}"
    stub = LlmStub().start()
    env = {
        "SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
        "AzureWebJobsStorage": azurite,
        "JOB_DISPATCH": "queue",
        "JOB_QUEUE_NAME": name,
        "AUTH_MODE": "token",
        "ADMIN_API_TOKEN": TOKEN,
        **openai_env(stub.base_url),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reset_context()
    context = get_context()
    import function_app

    runners: list[QueueRunner] = []
    tracker = WorkTracker()

    def start_runner() -> QueueRunner:
        [function] = load_functions(function_app.app).queues
        runner = QueueRunner(function, service_client(), TEST_OPTIONS, tracker)
        runner.start()
        runners.append(runner)
        return runner

    service = service_client()
    queue = context.dispatcher.queue() if context.dispatcher else None
    assert queue is not None
    yield QueueApp(context, queue, queue_client(service, poison_name(name)), stub, start_runner)
    for runner in runners:
        runner.stop()
    lifecycle.request_stop()
    for runner in runners:
        runner.join(10)
    tracker.wait_idle(15)
    lifecycle.reset()
    stub.stop()
    reset_context()
