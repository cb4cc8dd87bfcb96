"""The outbox (exec_report_notifications): messages waiting, claimed, sent, or given up on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.clock import as_utc, iso_z
from shared.db import Database, Transaction

MAX_ATTEMPTS = 5  # then the message stays in the outbox, shown as given up, and is not tried again


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    channel: str
    kind: str
    job_id: str | None
    payload: dict[str, Any]
    attempts: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OutboxEntry:
        return cls(
            id=int(row["id"]),
            channel=row["channel"],
            kind=row["kind"],
            job_id=row.get("job_id"),
            payload=json.loads(row["payload"]),
            attempts=int(row["attempts"]),
        )


@dataclass(frozen=True)
class DeliveryFailure:
    """A message whose last delivery attempt failed: still retrying, or given up."""

    id: int
    channel: str
    kind: str
    job_id: str | None
    attempts: int
    error: str
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None  # None once given up
    given_up: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "kind": self.kind,
            "job_id": self.job_id,
            "attempts": self.attempts,
            "error": self.error,
            "last_attempt_at": iso_z(self.last_attempt_at),
            "next_attempt_at": iso_z(self.next_attempt_at),
            "given_up": self.given_up,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DeliveryFailure:
        attempts = int(row["attempts"])
        given_up = attempts >= MAX_ATTEMPTS
        return cls(
            id=int(row["id"]),
            channel=row["channel"],
            kind=row["kind"],
            job_id=row.get("job_id"),
            attempts=attempts,
            error=row["last_error"],
            last_attempt_at=as_utc(row.get("last_attempt_at")),
            next_attempt_at=None if given_up else as_utc(row.get("next_attempt_at")),
            given_up=given_up,
        )


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, channel: str, kind: str, job_id: str | None, dedupe_key: str, payload: dict[str, Any], event_at: datetime, now: datetime) -> bool:
        """Queue a message; False when one with this dedupe key already exists."""
        params = {
            "channel": channel,
            "kind": kind,
            "job_id": job_id,
            "dedupe_key": dedupe_key,
            "payload": json.dumps(payload, ensure_ascii=False),
            "event_at": event_at,
            "now": now,
        }
        return self.db.execute("notify_add", params) == 1

    def last_failure_event(self) -> datetime | None:
        row = self.db.fetch_one("notify_last_failure_event")
        return as_utc(row["event_at"]) if row else None

    def claim(self, channel: str, limit: int, now: datetime, claim_until: datetime) -> list[OutboxEntry]:
        return self.db.run(lambda tx: self._claim(tx, channel, limit, now, claim_until))

    def claim_if_quiet(self, channel: str, quiet: timedelta, limit: int, now: datetime, claim_until: datetime) -> list[OutboxEntry]:
        """Claim only when nothing on this channel was attempted within `quiet` (the digest interval)."""

        def work(tx: Transaction) -> list[OutboxEntry]:
            row = tx.fetch_one("notify_last_attempt", {"channel": channel})
            last = as_utc(row["last_attempt_at"]) if row else None
            if last is not None and now - last < quiet:
                return []
            return self._claim(tx, channel, limit, now, claim_until)

        return self.db.run(work)

    def mark_sent(self, ids: list[int], now: datetime) -> None:
        self.db.run(lambda tx: [tx.execute("notify_mark_sent", {"id": entry_id, "now": now}) for entry_id in ids])

    def mark_failed(self, ids: list[int], error: str, next_attempt_at: datetime) -> None:
        params = {"error": error, "next_attempt_at": next_attempt_at}
        self.db.run(lambda tx: [tx.execute("notify_mark_failed", params | {"id": entry_id}) for entry_id in ids])

    def purge(self, before: datetime, limit: int = 1000) -> int:
        return self.db.execute("notify_purge", {"before": before, "limit": limit})

    def recent_failures(self, limit: int) -> list[DeliveryFailure]:
        return [DeliveryFailure.from_row(row) for row in self.db.fetch_all("notify_recent_failures", {"limit": limit})]

    @staticmethod
    def _claim(tx: Transaction, channel: str, limit: int, now: datetime, claim_until: datetime) -> list[OutboxEntry]:
        params = {"channel": channel, "limit": limit, "now": now, "claim_until": claim_until, "max_attempts": MAX_ATTEMPTS}
        return sorted((OutboxEntry.from_row(row) for row in tx.fetch_all("notify_claim", params)), key=lambda entry: entry.id)


def recent_delivery_failures(db: Database, limit: int = 10) -> list[DeliveryFailure]:
    """For worker health: the latest messages that could not be delivered, newest first."""
    return OutboxRepository(db).recent_failures(limit)
