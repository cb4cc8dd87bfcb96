"""Draining the outbox: claim due messages, deliver them, record the outcome, retry with backoff.

A channel stops for this drain at its first failure (the receiver is down or slow; the rest would
only wait out the same timeout), and the drain stops claiming when its time budget is spent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.config import Settings
from shared.notify import mail, webhook
from shared.notify.errors import DeliveryError
from shared.notify.notices import EMAIL, WEBHOOK, FailedJob
from shared.notify.outbox import MAX_ATTEMPTS, OutboxEntry, OutboxRepository
from shared.worker.redact import one_line

log = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=60)  # doubles per attempt
RETRY_MAX = timedelta(minutes=30)
DIGEST_LIMIT = 100  # failures listed in one digest; more wait for the next one


@dataclass
class DrainSummary:
    sent: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_MAX, RETRY_BASE * 2 ** max(attempts - 1, 0))


class Dispatcher:
    def __init__(
        self,
        settings: Settings,
        outbox: OutboxRepository,
        clock: Callable[[], datetime],
        secrets: list[str],
        budget_seconds: float,
    ) -> None:
        self.settings, self.outbox, self.clock, self.secrets = settings, outbox, clock, secrets
        self.deadline = time.monotonic() + budget_seconds
        self.summary = DrainSummary()

    def drain(self, channels: tuple[str, ...]) -> DrainSummary:
        if WEBHOOK in channels:
            self._drain_one_by_one(WEBHOOK, self._post)
        if EMAIL in channels:
            if self.settings.email_digest_minutes:
                self._send_digest()
            else:
                self._drain_one_by_one(EMAIL, self._mail)
        return self.summary

    def _claim_until(self, now: datetime) -> datetime:
        # Long enough for the send; if this process dies mid-send, the message is due again after it.
        return now + timedelta(seconds=3 * self.settings.notify_timeout_seconds + 30)

    def _drain_one_by_one(self, channel: str, deliver: Callable[[list[OutboxEntry]], None]) -> None:
        while time.monotonic() < self.deadline:
            now = self.clock()
            claimed = self.outbox.claim(channel, 1, now, self._claim_until(now))
            if not claimed or not self._deliver(channel, claimed, deliver):
                return

    def _send_digest(self) -> None:
        now = self.clock()
        quiet = timedelta(minutes=self.settings.email_digest_minutes)
        claimed = self.outbox.claim_if_quiet(EMAIL, quiet, DIGEST_LIMIT, now, self._claim_until(now))
        if claimed:
            self._deliver(EMAIL, claimed, self._mail)

    def _deliver(self, channel: str, entries: list[OutboxEntry], send: Callable[[list[OutboxEntry]], None]) -> bool:
        ids = [entry.id for entry in entries]
        try:
            send(entries)
        except DeliveryError as exc:
            error = one_line(f"{channel}: {exc}", self.secrets)
            attempts = max(entry.attempts for entry in entries)
            retry = "giving up" if attempts >= MAX_ATTEMPTS else f"retry in {retry_delay(attempts).total_seconds():.0f} s"
            log.warning("notification %s not delivered (attempt %d of %d, %s): %s", ids, attempts, MAX_ATTEMPTS, retry, error)
            self.outbox.mark_failed(ids, error, self.clock() + retry_delay(attempts))
            self.summary.failed += len(ids)
            return False
        self.outbox.mark_sent(ids, self.clock())
        self.summary.sent += len(ids)
        log.info("notification %s delivered by %s", ids, channel)
        return True

    def _post(self, entries: list[OutboxEntry]) -> None:
        (entry,) = entries
        body = webhook.render(entry.kind, entry.payload, self.settings.alert_webhook_format, self.settings.admin_base_url)
        webhook.post(self.settings.alert_webhook_url, body, self.settings.notify_timeout_seconds)

    def _mail(self, entries: list[OutboxEntry]) -> None:
        jobs = [FailedJob.from_payload(entry.payload) for entry in entries]
        mail.send(mail.build_message(jobs, self.settings), self.settings)
