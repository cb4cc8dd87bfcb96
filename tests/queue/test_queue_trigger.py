"""A queued job starts from its message within seconds, exactly once, whatever happens to the messages."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import azure.functions as func
from azure.functions.timer import TimerRequest
from azure.storage.queue import TextBase64EncodePolicy

from local_host.functions import load_functions
from shared.clock import utc_now
from shared.jobs.models import Job, Status
from shared.jobs.wakeups import Runnable
from shared.worker.runs import WorkerRunsRepository
from tests.queue.conftest import TOKEN, QueueApp
from tests.support.jobs import add_job
from tests.worker.helpers import add_week_rows

AUTH = {"Authorization": f"Bearer {TOKEN}", "Host": "localhost:7071", "Content-Type": "application/json"}


def api(name: str, body: dict[str, Any] | None = None, route: str = "admin/jobs") -> tuple[int, Any]:
    import json

    import function_app

    method = "POST" if body is not None else "GET"
    request = func.HttpRequest(method, f"http://localhost:7071/api/{route}", headers=AUTH, params={}, body=json.dumps(body).encode() if body else b"")
    response = load_functions(function_app.app).call(name)(request)
    return response.status_code, json.loads(response.get_body())


def wait_for(condition: Any, what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def job_in(app: QueueApp, job_id: str, *statuses: str) -> Job | None:
    job = app.context.jobs.get(job_id)
    return job if job is not None and job.status in statuses else None


def enqueue(scope_key: str = "NET-EMEA") -> str:
    status, body = api("admin_jobs", {"action": "enqueue_job", "scope_type": "network", "scope_key": scope_key, "iso_week": "2026-W07"})
    assert status == 201, body
    return str(body["job"]["job_id"])


def test_a_job_enqueued_through_the_api_runs_from_its_message_without_the_timer(queue_app: QueueApp) -> None:
    add_week_rows(queue_app.context, "NET-EMEA")
    queue_app.start_runner()

    job_id = enqueue()

    done = wait_for(lambda: job_in(queue_app, job_id, Status.SUCCEEDED), "the job to succeed")
    assert done.attempts == 1 and len(queue_app.stub.requests) == 1
    assert WorkerRunsRepository(queue_app.context.db).list_recent() == []  # no pass ran it: the message did
    wait_for(lambda: queue_app.queue_length() == 0, "the message to be deleted")


def test_a_duplicate_message_runs_the_job_once(queue_app: QueueApp) -> None:
    add_week_rows(queue_app.context, "NET-EMEA")
    job = add_job(queue_app.context.db, "NET-EMEA")  # a row written straight into the table: no message yet
    dispatcher = queue_app.context.dispatcher
    assert dispatcher is not None
    assert dispatcher.send_and_count([Runnable(job.job_id), Runnable(job.job_id), Runnable(job.job_id)]) == 3

    queue_app.start_runner()

    done = wait_for(lambda: job_in(queue_app, job.job_id, Status.SUCCEEDED), "the job to succeed")
    wait_for(lambda: queue_app.queue_length() == 0, "every copy to be settled")
    assert done.attempts == 1 and len(queue_app.stub.requests) == 1
    assert queue_app.poison_length() == 0


def test_a_lost_message_is_sent_again_by_the_timer_sweep(queue_app: QueueApp) -> None:
    import function_app

    add_week_rows(queue_app.context, "NET-EMEA")
    lost = add_job(queue_app.context.db, "NET-EMEA", created_at=utc_now() - timedelta(minutes=5))  # its message never arrived
    fresh = add_job(queue_app.context.db, "NET-EMEA", iso_week="2026-W08", created_at=utc_now())  # its message may still be in flight
    queue_app.start_runner()

    load_functions(function_app.app).call("worker_timer")(timer=TimerRequest(past_due=False))

    done = wait_for(lambda: job_in(queue_app, lost.job_id, Status.SUCCEEDED), "the swept job to succeed")
    assert done.attempts == 1
    [sweep] = WorkerRunsRepository(queue_app.context.db).list_recent()
    assert (sweep.trigger, sweep.claimed, sweep.error) == ("timer", 0, None)  # the timer sent it; the queue trigger ran it
    current = queue_app.context.jobs.get(fresh.job_id)
    assert current is not None and current.status == Status.QUEUED  # younger than the sweep age: left to its own message


def test_a_message_for_a_canceled_job_changes_nothing(queue_app: QueueApp) -> None:
    add_week_rows(queue_app.context, "NET-EMEA")
    job_id = enqueue()
    status, _ = api("admin_jobs", {"action": "cancel_job", "job_id": job_id})
    assert status == 200
    wait_for(lambda: queue_app.queue_length() == 1, "the enqueue's message")

    queue_app.start_runner()

    wait_for(lambda: queue_app.queue_length() == 0, "the message to be settled")
    job = queue_app.context.jobs.get(job_id)
    assert job is not None and (job.status, job.attempts) == (Status.CANCELED, 0)
    assert queue_app.stub.requests == [] and queue_app.poison_length() == 0


def test_a_message_that_keeps_failing_lands_in_the_poison_queue_and_in_worker_health(queue_app: QueueApp) -> None:
    raw = queue_app.queue
    raw.message_encode_policy = TextBase64EncodePolicy()
    raw.send_message("not a job message")
    queue_app.start_runner()

    wait_for(lambda: queue_app.poison_length() == 1, "the message to be poisoned")
    assert queue_app.queue_length() == 0

    status, health = api("admin_health", route="admin/health")
    assert status == 200
    queue = health["queue"]
    assert (queue["name"], queue["length"], queue["poison_length"]) == (queue_app.queue.queue_name, 0, 1)
    [poisoned] = queue["poison"]
    assert (poisoned["job_id"], poisoned["body"]) == (None, "not a job message")
    assert health["running"]["limit"] == queue_app.context.settings.worker_global_concurrency


def test_trigger_worker_now_answers_at_once_with_the_jobs_it_handed_to_the_queue(queue_app: QueueApp) -> None:
    add_week_rows(queue_app.context, "NET-EMEA")
    jobs = [add_job(queue_app.context.db, "NET-EMEA", iso_week=week) for week in ("2026-W07", "2026-W08", "2026-W09")]

    status, reply = api("admin_jobs", {"action": "trigger_worker"})

    assert status == 200 and reply == {"ok": True, "mode": "queue", "dispatched": 3}
    assert queue_app.queue_length() == 3
    assert all(job_in(queue_app, job.job_id, Status.QUEUED) for job in jobs)  # nothing ran in the request
    queue_app.start_runner()
    wait_for(lambda: all(job_in(queue_app, job.job_id, Status.SUCCEEDED, Status.FAILED) for job in jobs), "the three jobs to finish")


def test_a_retry_waits_in_the_queue_for_its_backoff(queue_app: QueueApp) -> None:
    from tests.support import llm_stub

    add_week_rows(queue_app.context, "NET-EMEA")
    queue_app.stub.script(llm_stub.server_error(503))  # then the default: a good report
    queue_app.start_runner()

    job_id = enqueue()

    retried = wait_for(lambda: job_in(queue_app, job_id, Status.QUEUED) if len(queue_app.stub.requests) == 1 else None, "the 503 to requeue the job")
    assert retried.run_after is not None
    done = wait_for(lambda: job_in(queue_app, job_id, Status.SUCCEEDED), "the retry to succeed")
    assert done.attempts == 2 and len(queue_app.stub.requests) == 2
    second_call_at = queue_app.stub.requests  # the backoff came from its message's visibility, not a timer
    assert second_call_at and done.started_at is not None and done.started_at >= retried.run_after - timedelta(milliseconds=50)
