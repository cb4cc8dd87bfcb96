"""The alert webhook through a real HTTP receiver on 127.0.0.1: Slack and Teams shapes, one alert
per failure, the failure-rate alert, and a receiver that is down, failing or stalled.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from shared import notify
from shared.clock import utc_now
from shared.jobs.models import Job, Status
from shared.jobs.repository import JobsRepository, new_job_id
from shared.notify import detect
from shared.notify.outbox import MAX_ATTEMPTS
from shared.worker.runner import run_pass
from tests.notify.helpers import ADMIN, context_with, run_failing, settle, webhook_env
from tests.notify.servers import WebhookReceiver, free_port
from tests.worker.helpers import FAST, WEEK, add_job, add_week_rows


def texts(value: Any) -> str:
    """Every string in a JSON value, joined: what a reader of the message could see."""
    if isinstance(value, dict):
        return "\n".join(texts(item) for item in value.values())
    if isinstance(value, list):
        return "\n".join(texts(item) for item in value)
    return str(value)


def test_slack_message_names_the_job_and_links_to_it(tmp_path: Path, receiver: WebhookReceiver) -> None:
    with context_with(tmp_path, webhook_env(receiver.url)) as context:
        _, (job,) = run_failing(context, "NET-<!channel>&co")
        settle()

    (post,) = receiver.posts
    assert post.path.endswith("/hook-Secret-Token-123") and post.content_type.startswith("application/json")
    body = post.body
    assert set(body) == {"text", "blocks"}
    assert body["text"].startswith("Report job failed: network NET-&lt;!channel&gt;&amp;co 2026-W07")
    assert [block["type"] for block in body["blocks"]] == ["header", "section", "section", "actions"]
    shown = texts(body)
    assert "<!channel>" not in shown  # Slack would ping the whole channel
    for expected in (job.job_id, "2026-W07", "1 of 3"):
        assert expected in shown
    assert body["blocks"][3]["elements"][0]["url"] == f"{ADMIN}/admin/jobs?job={job.job_id}"


def test_teams_message_is_an_adaptive_card(tmp_path: Path, receiver: WebhookReceiver) -> None:
    with context_with(tmp_path, webhook_env(receiver.url, ALERT_WEBHOOK_FORMAT="teams")) as context:
        _, (job,) = run_failing(context, "NET-EMEA")
        settle()

    (post,) = receiver.posts
    assert post.body["type"] == "message"
    (attachment,) = post.body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    facts = {fact["title"]: fact["value"] for block in card["body"] if block["type"] == "FactSet" for fact in block["facts"]}
    assert facts == {"Job": job.job_id, "Scope": "network NET-EMEA", "Period": "2026-W07", "Attempts": "1 of 3", "Failed at": facts["Failed at"]}
    assert job.reason in texts(card["body"])
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open in admin", "url": f"{ADMIN}/admin/jobs?job={job.job_id}"}]


def test_each_failure_alerts_once_across_passes(tmp_path: Path, receiver: WebhookReceiver) -> None:
    with context_with(tmp_path, webhook_env(receiver.url)) as context:
        _, (first,) = run_failing(context, "NET-A")
        settle()
        _, (second,) = run_failing(context, "NET-B")
        settle()
        run_failing(context)
        settle()
        notify.run_notify_pass(context)

    alerted = [texts(post.body) for post in receiver.posts]
    assert len(alerted) == 2
    assert first.job_id in alerted[0] and second.job_id in alerted[1]


def lost_job(scope_key: str) -> Job:
    """A running job on its last attempt whose worker vanished: the next pass's reaper fails it."""
    now = utc_now()
    return Job(
        job_id=new_job_id(),
        scope_type="network",
        scope_key=scope_key,
        iso_week=WEEK,
        month_key=None,
        status=Status.RUNNING,
        reason=None,
        created_at=now - timedelta(minutes=10),
        started_at=now - timedelta(minutes=9),
        finished_at=None,
        created_by="tests",
        attempts=3,
        max_attempts=3,
        worker_id="gone:1:dead",
        lease_expires_at=now - timedelta(minutes=1),
    )


def test_a_job_failed_by_the_reaper_alerts_too(tmp_path: Path, receiver: WebhookReceiver) -> None:
    with context_with(tmp_path, webhook_env(receiver.url)) as context:
        lost = lost_job("NET-LOST")
        context.db.run(lambda tx: JobsRepository.insert_job(tx, lost))
        run_pass(context, "timer", budget_seconds=30, options=FAST)
        settle()
        found = context.jobs.get(lost.job_id)

    assert found is not None and found.status == Status.FAILED
    (post,) = receiver.posts
    assert lost.job_id in texts(post.body) and "lease expired" in texts(post.body)


def rate_env(receiver: WebhookReceiver) -> dict[str, str]:
    return webhook_env(receiver.url, ALERT_FAILURE_RATE_THRESHOLD="0.5", ALERT_MIN_JOBS="4", ALERT_WINDOW_MINUTES="60")


def run_mixed(context: Any, succeed: int, fail: int, tag: str) -> None:
    for index in range(succeed):
        add_week_rows(context, f"OK-{tag}-{index}")
        add_job(context, f"OK-{tag}-{index}")
    for index in range(fail):
        add_job(context, f"BAD-{tag}-{index}")
    summary = run_pass(context, "api", budget_seconds=30, options=FAST)
    assert (summary.succeeded, summary.failed) == (succeed, fail)


def rate_alerts(receiver: WebhookReceiver) -> list[str]:
    return [post.body["text"] for post in receiver.posts if "failure rate" in post.body["text"]]


def test_a_failure_rate_over_the_threshold_alerts_once_per_window(tmp_path: Path, receiver: WebhookReceiver) -> None:
    with context_with(tmp_path, rate_env(receiver)) as context:
        run_mixed(context, succeed=2, fail=2, tag="a")
        settle()
        assert rate_alerts(receiver) == [
            "Report job failure rate is high: 50%: 50% of the 4 jobs finished in the last 60 minutes failed (2 failed; alert threshold 50%).",
        ]
        run_mixed(context, succeed=0, fail=2, tag="b")
        settle()

    assert len(rate_alerts(receiver)) == 1  # still the same window
    assert len(receiver.posts) == 1 + 4  # and one alert per failed job


@pytest.mark.parametrize(("succeed", "fail"), [(3, 1), (1, 2)], ids=["below the threshold", "too few jobs in the window"])
def test_no_rate_alert_below_the_threshold_or_the_minimum_jobs(tmp_path: Path, receiver: WebhookReceiver, succeed: int, fail: int) -> None:
    with context_with(tmp_path, rate_env(receiver)) as context:
        run_mixed(context, succeed=succeed, fail=fail, tag="a")
        settle()

    assert rate_alerts(receiver) == [] and len(receiver.posts) == fail


def test_receiver_down_the_worker_finishes_and_the_failure_is_recorded_without_the_url(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{free_port()}/services/hook-Secret-Token-123"
    with context_with(tmp_path, webhook_env(url)) as context:
        summary, (job,) = run_failing(context, "NET-EMEA")
        settle()
        (failure,) = notify.recent_delivery_failures(context.db, 10)

    assert summary.failed == 1 and job.status == Status.FAILED
    assert (failure.channel, failure.job_id, failure.attempts) == ("webhook", job.job_id, 1)
    assert failure.error == "webhook: could not reach the webhook: Connection refused"
    assert "hook-Secret-Token-123" not in caplog.text


def test_a_failing_receiver_is_retried_with_backoff_then_given_up_on(tmp_path: Path) -> None:
    with WebhookReceiver(statuses=[500] * MAX_ATTEMPTS) as failing, context_with(tmp_path, webhook_env(failing.url)) as context:
        run_failing(context, "NET-EMEA")
        settle()
        (failure,) = notify.recent_delivery_failures(context.db, 10)
        assert failure.error == "webhook: webhook answered HTTP 500" and failure.next_attempt_at is not None

        notify.run_notify_pass(context)  # not due yet: nothing is sent
        assert len(failing.posts) == 1

        later = utc_now()
        for _ in range(MAX_ATTEMPTS):
            later += timedelta(hours=1)
            notify.run_notify_pass(context, clock=lambda moment=later: moment)
        (failure,) = notify.recent_delivery_failures(context.db, 10)

    assert len(failing.posts) == MAX_ATTEMPTS
    assert failure.given_up and failure.attempts == MAX_ATTEMPTS and failure.to_dict()["next_attempt_at"] is None


def test_a_retry_that_succeeds_clears_the_failure(tmp_path: Path) -> None:
    with WebhookReceiver(statuses=[503]) as flaky, context_with(tmp_path, webhook_env(flaky.url)) as context:
        run_failing(context, "NET-EMEA")
        settle()
        assert len(notify.recent_delivery_failures(context.db, 10)) == 1
        notify.run_notify_pass(context, clock=lambda: utc_now() + timedelta(minutes=5))
        failures = notify.recent_delivery_failures(context.db, 10)

    assert len(flaky.posts) == 2 and failures == []


def test_a_stalled_receiver_does_not_hold_up_the_worker(tmp_path: Path, receiver: WebhookReceiver) -> None:
    receiver.release.clear()
    with context_with(tmp_path, webhook_env(receiver.url)) as context:
        summary, (job,) = run_failing(context, "NET-EMEA")
        assert summary.failed == 1 and job.status == Status.FAILED
        assert receiver.held.wait(10)
        assert not notify.wait_idle(0), "the alert was delivered before the pass returned"
        receiver.release.set()
        settle()
        failures = notify.recent_delivery_failures(context.db, 10)

    assert len(receiver.posts) == 1 and failures == []


def test_many_jobs_reaped_at_one_moment_each_alert_across_scan_pages(
    tmp_path: Path,
    receiver: WebhookReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(detect, "PAGE", 2)  # five failures sharing one finished_at span three pages
    with context_with(tmp_path, webhook_env(receiver.url)) as context:
        lost = [lost_job(f"NET-{index}") for index in range(5)]
        context.db.run(lambda tx: [JobsRepository.insert_job(tx, job) for job in lost])
        run_pass(context, "timer", budget_seconds=30, options=FAST)
        settle()

    alerted = "\n".join(texts(post.body) for post in receiver.posts)
    assert len(receiver.posts) == 5 and all(job.job_id in alerted for job in lost)
