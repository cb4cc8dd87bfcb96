"""The worker's side of tracing: which generator a job runs with, and storing each call's trace.

Storing a trace never changes a job's outcome: a trace that cannot be written is logged and the job
goes on. Offline reports make no model call, so only their model record is kept, not a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from shared.config import Settings
from shared.db import Database
from shared.jobs.models import Job
from shared.reports.generators import Generator
from shared.reports.generators.choices import generator_for_choice
from shared.reports.model_choice import parse_choice
from shared.reports.prompt import Message
from shared.traces.capture import ModelCall
from shared.traces.repository import TracesRepository

log = logging.getLogger(__name__)


class CallRecorder:
    def __init__(self, db: Database, settings: Settings, default: Generator, secrets: list[str], clock: Callable[[], datetime]) -> None:
        self.traces = TracesRepository(db)
        self.settings, self.default, self.secrets, self.clock = settings, default, secrets, clock

    def generator_for(self, job: Job) -> Generator:
        """A re-run's chosen model, else the pass's generator. A choice no longer listed still runs as recorded."""
        recorded = self.traces.job_model(job.job_id)
        if recorded is None or not recorded.model_choice:
            return self.default
        return generator_for_choice(self.settings, parse_choice(recorded.model_choice))

    def begin(self, job: Job, call_no: int, generator: Generator, messages: list[Message]) -> ModelCall:
        return ModelCall.begin(job.job_id, job.attempts, call_no, self.clock(), generator, messages)

    def end(self, call: ModelCall) -> None:
        try:
            self.traces.record(call.stored(self.secrets), self.clock(), store_trace=call.generator != "offline")
        except Exception as exc:
            log.warning("job %s: the trace of call %d of attempt %d was not stored: %s: %s", call.job_id, call.call_no, call.attempt, type(exc).__name__, exc)
