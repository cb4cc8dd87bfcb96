"""Queue triggers, dispatched as the Functions host does (learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger):

- polling: after a message, look again at once; on an empty queue wait 100 ms, doubling up to
  host.json's `maxPollingInterval`;
- batches: fetch up to `batchSize` messages and fetch again once no more than `newBatchThreshold`
  are still running, so at most batchSize + newBatchThreshold run at once;
- a message being processed is invisible to every other host (received with a long visibility
  timeout, longer than functionTimeout); when the function succeeds the message is deleted;
- when it raises, the message becomes visible again after `visibilityTimeout`, and once it has been
  dequeued `maxDequeueCount` times it moves to `<queue>-poison` instead;
- `messageEncoding` base64 (the default): the body is base64-decoded before the function sees it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azure.core.exceptions import ResourceExistsError
from azure.functions.queue import QueueMessage
from azure.storage.queue import QueueClient, QueueServiceClient

from local_host.functions import QueueFunction
from local_host.settings_refs import resolve_reference
from local_host.work import WorkTracker
from shared.queue.storage import poison_name

log = logging.getLogger(__name__)
FIRST_POLL_SECONDS = 0.1
PROCESSING_VISIBILITY_SECONDS = 600  # hidden while a function runs; functionTimeout (5 min) ends it first


class QueueConfigError(ValueError):
    """host.json's queues section cannot be used; the message names the field."""


@dataclass(frozen=True)
class QueueOptions:
    """host.json `extensions.queues`, with the Functions host's defaults for what it leaves out."""

    max_polling_interval: float = 60.0
    visibility_timeout: float = 0.0
    batch_size: int = 16
    new_batch_threshold: int = 8
    max_dequeue_count: int = 5
    message_encoding: str = "base64"

    @classmethod
    def from_host_json(cls, path: Path) -> QueueOptions:
        section: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")).get("extensions", {}).get("queues", {})
        batch_size = int(section.get("batchSize", 16))
        if not 1 <= batch_size <= 32:
            raise QueueConfigError("host.json extensions.queues.batchSize must be 1 to 32")
        encoding = str(section.get("messageEncoding", "base64")).lower()
        if encoding not in ("base64", "none"):
            raise QueueConfigError("host.json extensions.queues.messageEncoding must be base64 or none")
        return cls(
            max_polling_interval=_timespan(section.get("maxPollingInterval", "00:01:00"), "maxPollingInterval"),
            visibility_timeout=_timespan(section.get("visibilityTimeout", "00:00:00"), "visibilityTimeout"),
            batch_size=batch_size,
            new_batch_threshold=int(section.get("newBatchThreshold", batch_size // 2)),
            max_dequeue_count=int(section.get("maxDequeueCount", 5)),
            message_encoding=encoding,
        )


def _timespan(value: Any, name: str) -> float:
    """A .NET TimeSpan as host.json writes it (hh:mm:ss[.fff]), or milliseconds as a number."""
    if isinstance(value, int | float):
        return float(value) / 1000
    try:
        hours, minutes, seconds = str(value).split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except ValueError:
        raise QueueConfigError(f"host.json extensions.queues.{name} must be a time span such as 00:00:02, not {value!r}") from None


class QueueRunner:
    def __init__(self, function: QueueFunction, service: QueueServiceClient, options: QueueOptions, tracker: WorkTracker) -> None:
        self.function = function
        self.queue_name = resolve_reference(function.queue_name, f"queue trigger {function.name}")
        self.options = options
        self.tracker = tracker
        self.queue: QueueClient = service.get_queue_client(self.queue_name)
        self.poison: QueueClient = service.get_queue_client(poison_name(self.queue_name))
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._running = 0
        self._thread = threading.Thread(target=self._poll, name=f"queue-{function.name}", daemon=True)

    def start(self) -> None:
        for queue in (self.queue, self.poison):
            with contextlib.suppress(ResourceExistsError):
                queue.create_queue()
        self._thread.start()

    def stop(self) -> None:
        """No new messages are fetched; those running finish (see WorkTracker)."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _poll(self) -> None:
        wait = FIRST_POLL_SECONDS
        while not self._stop.is_set():
            with self._changed:
                while self._running > self.options.new_batch_threshold and not self._stop.is_set():
                    self._changed.wait()
            if self._stop.is_set():
                return
            try:
                batch = list(self.queue.receive_messages(max_messages=self.options.batch_size, visibility_timeout=PROCESSING_VISIBILITY_SECONDS))
            except Exception as exc:
                log.warning("queue %s could not be read (trying again in %.1f s): %s", self.queue_name, wait, exc)
                batch = []
            for message in batch:
                with self._changed:
                    self._running += 1
                threading.Thread(target=self._process, args=(message,), name=f"queue-msg-{message.id[:8]}", daemon=True).start()
            if batch:
                wait = FIRST_POLL_SECONDS
                continue
            self._stop.wait(wait)
            wait = min(wait * 2, self.options.max_polling_interval)

    def _process(self, message: Any) -> None:
        try:
            with self.tracker.running():
                self._deliver(message)
        except Exception:
            log.exception("queue %s: message %s could not be settled", self.queue_name, message.id)
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()

    def _deliver(self, message: Any) -> None:
        if message.dequeue_count > self.options.max_dequeue_count:  # a host died holding it that often
            self._to_poison(message)
            return
        started = time.monotonic()
        try:
            body = self._decode(str(message.content))
            request = QueueMessage(
                id=message.id,
                body=body,
                dequeue_count=message.dequeue_count,
                expiration_time=message.expires_on,
                insertion_time=message.inserted_on,
                time_next_visible=message.next_visible_on,
                pop_receipt=message.pop_receipt,
            )
            self.function.call(**{self.function.arg_name: request})
        except Exception:
            log.exception(
                "queue trigger %s failed on message %s (dequeue %d of %d) after %.0f ms",
                self.function.name,
                message.id,
                message.dequeue_count,
                self.options.max_dequeue_count,
                (time.monotonic() - started) * 1000,
            )
            if message.dequeue_count >= self.options.max_dequeue_count:
                self._to_poison(message)
            else:
                self.queue.update_message(message, pop_receipt=message.pop_receipt, visibility_timeout=int(self.options.visibility_timeout))
            return
        self.queue.delete_message(message, pop_receipt=message.pop_receipt)

    def _decode(self, content: str) -> bytes:
        if self.options.message_encoding == "none":
            return content.encode("utf-8")
        try:
            return base64.b64decode(content, validate=True)
        except binascii.Error:
            raise ValueError(f"message is not base64 (host.json messageEncoding is base64): {content[:40]!r}") from None

    def _to_poison(self, message: Any) -> None:
        self.poison.send_message(message.content)
        self.queue.delete_message(message, pop_receipt=message.pop_receipt)
        log.warning("queue %s: message %s moved to %s after %d dequeues", self.queue_name, message.id, self.poison.queue_name, message.dequeue_count)
