"""The worker's triggers: the queue trigger that starts each job within seconds on any instance, the
timer that sweeps (leases, schedules, retention, lost messages), and the manual run over HTTP."""

import logging

import azure.functions as func

from shared.api import worker_run
from shared.app_context import get_context
from shared.db import DatabaseUnavailable
from shared.jobs import retention
from shared.worker.queued import run_message
from shared.worker.runner import run_timer_pass

blueprint = func.Blueprint()
log = logging.getLogger(__name__)


@blueprint.timer_trigger(schedule="%WORKER_SCHEDULE%", arg_name="timer", run_on_startup=False, use_monitor=True)
def worker_timer(timer: func.TimerRequest) -> None:
    if timer.past_due:
        log.warning("worker timer is running late (past due)")
    try:
        run_timer_pass()
        retention.run_after_timer_pass(get_context())
    except DatabaseUnavailable as err:
        # The outage itself is logged once by the database layer; the next tick tries again.
        log.info("worker timer skipped: the database is unavailable (%s)", err.reason)


@blueprint.route(route="exec/worker/run", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def worker_run_now(req: func.HttpRequest) -> func.HttpResponse:
    return worker_run.handle(req)


@blueprint.queue_trigger(arg_name="message", queue_name="%JOB_QUEUE_NAME%", connection="AzureWebJobsStorage")
def worker_queue(message: func.QueueMessage) -> None:
    # Raising (a bad message, the database down) hands the message back to the host, which retries
    # it after host.json's visibilityTimeout and moves it to the poison queue after maxDequeueCount.
    run_message(get_context(), message.get_body().decode("utf-8"))
