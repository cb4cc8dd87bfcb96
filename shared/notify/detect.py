"""Turning committed job states into outbox messages: one per failed job and channel, and at most one
failure-rate alert per window. Re-reading the same failures is harmless: dedupe keys make each once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.clock import iso_z
from shared.config import Settings
from shared.notify.job_feed import JobFeedRepository
from shared.notify.notices import EMAIL, FAILURE_RATE, JOB_FAILED, WEBHOOK, FailureRate
from shared.notify.outbox import OutboxRepository

FIRST_LOOKBACK = timedelta(hours=1)  # when alerts are first switched on, older failures are not announced
MAX_CATCH_UP = timedelta(hours=24)  # after a long outage, at most this much history is announced
# Re-read this far behind the newest failure seen: a failure committed late (a slow transaction, a
# worker whose clock runs behind) still gets its alert.
OVERLAP = timedelta(minutes=5)
PAGE = 500
MAX_PER_SCAN = 5000


def enabled_channels(settings: Settings) -> tuple[str, ...]:
    channels = []
    if settings.alert_webhook_url:
        channels.append(WEBHOOK)
    if settings.smtp_host:
        channels.append(EMAIL)
    return tuple(channels)


def queue_failed_jobs(feed: JobFeedRepository, outbox: OutboxRepository, channels: tuple[str, ...], now: datetime) -> int:
    """Queue a message per channel for every job that failed since the last scan; how many were new."""
    last = outbox.last_failure_event()
    since = max(last - OVERLAP, now - MAX_CATCH_UP) if last else now - FIRST_LOOKBACK
    after_job_id, added, seen = "", 0, 0
    while seen < MAX_PER_SCAN:
        page = feed.failed_since(since, after_job_id, PAGE)
        for finished_at, job in page:
            for channel in channels:
                key = f"{channel}:{JOB_FAILED}:{job.job_id}:{job.finished_at}"  # a retried job that fails again alerts again
                added += outbox.add(channel, JOB_FAILED, job.job_id, key, job.to_payload(), finished_at, now)
        seen += len(page)
        if len(page) < PAGE:
            break
        since, after_job_id = page[-1][0], page[-1][1].job_id
    return added


def queue_failure_rate(feed: JobFeedRepository, outbox: OutboxRepository, settings: Settings, now: datetime) -> bool:
    """Queue a webhook alert when the failure rate over the last window crosses the threshold."""
    if not settings.alert_webhook_url or settings.alert_failure_rate_threshold <= 0:
        return False
    window = timedelta(minutes=settings.alert_window_minutes)
    finished, failed = feed.finished_counts(now - window)
    if finished < settings.alert_min_jobs or failed / finished < settings.alert_failure_rate_threshold:
        return False
    # One alert per fixed window: the key names the window the alert falls in.
    window_seconds = int(window.total_seconds())
    bucket = datetime.fromtimestamp(int(now.timestamp()) // window_seconds * window_seconds, UTC)
    notice = FailureRate(settings.alert_window_minutes, finished, failed, settings.alert_failure_rate_threshold, iso_z(now) or "")
    return outbox.add(WEBHOOK, FAILURE_RATE, None, f"{WEBHOOK}:{FAILURE_RATE}:{iso_z(bucket)}", notice.to_payload(), now, now)
