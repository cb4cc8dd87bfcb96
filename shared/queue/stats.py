"""The job queue as worker health shows it: its length, its oldest message, and the poison queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from azure.storage.queue import QueueClient, QueueMessage

from shared.clock import as_utc
from shared.queue import messages
from shared.queue.dispatcher import JobDispatcher
from shared.queue.storage import poison_name, queue_client
from shared.worker.redact import one_line

POISON_SHOWN = 10


@dataclass(frozen=True)
class PoisonMessage:
    message_id: str
    job_id: str | None  # None: the message named no job (that is why it failed)
    body: str
    inserted_at: datetime | None


@dataclass(frozen=True)
class QueueHealth:
    name: str
    length: int | None = None  # approximate, as the service counts (messages in flight included)
    oldest_at: datetime | None = None  # the oldest visible message's insertion time
    poison_length: int | None = None
    poison: list[PoisonMessage] = field(default_factory=list)
    error: str | None = None  # the queue could not be read


def queue_health(dispatcher: JobDispatcher) -> QueueHealth:
    try:
        queue = dispatcher.queue()
        poison = queue_client(dispatcher.service, poison_name(dispatcher.queue_name))
        oldest = _peek(queue, 1)
        return QueueHealth(
            name=dispatcher.queue_name,
            length=queue.get_queue_properties().approximate_message_count,
            oldest_at=as_utc(oldest[0].inserted_on) if oldest else None,
            poison_length=poison.get_queue_properties().approximate_message_count,
            poison=[_poison(message) for message in _peek(poison, POISON_SHOWN)],
        )
    except Exception as exc:
        return QueueHealth(name=dispatcher.queue_name, error=one_line(f"the job queue cannot be read: {type(exc).__name__}: {exc}")[:300])


def _peek(queue: QueueClient, count: int) -> list[QueueMessage]:
    return list(queue.peek_messages(max_messages=count))


def _poison(message: QueueMessage) -> PoisonMessage:
    body = str(message.content)
    try:
        job_id: str | None = messages.decode(body)
    except messages.BadMessage:
        job_id = None
    return PoisonMessage(str(message.id), job_id, body[:200], as_utc(message.inserted_on))
