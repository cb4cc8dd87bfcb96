"""One claimed job, start to finish: rows → prompt → generate → validate → store, or a clear failure."""

from __future__ import annotations

import json
import logging
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import openai

from shared.db import DatabaseUnavailable
from shared.jobs.models import Action, Job, Status
from shared.jobs.periods import job_period
from shared.jobs.repository import GeneratedReport, JobsRepository
from shared.reports import rate_limits
from shared.reports.errors import InvalidReport, NoSourceRows
from shared.reports.facts import ReportFacts, build_facts
from shared.reports.generators import Generation, Generator
from shared.reports.prompt import Message, build_messages, correction_messages
from shared.reports.prompt_version import PROMPT_VERSION
from shared.reports.schema import parse_report
from shared.reports.source_rows import SourceRowsRepository
from shared.traces.recorder import CallRecorder
from shared.worker import lifecycle
from shared.worker.faults import Fault, classify
from shared.worker.lease import NOT_OURS, Abandoned, Lease
from shared.worker.options import WorkerOptions
from shared.worker.redact import one_line, redact

log = logging.getLogger(__name__)
RELEASE_RETRY_SECONDS = 1.0  # how often a job paused by a database outage tries to give itself back
RATE_WAIT_STEP_SECONDS = 0.5  # while waiting out a rate limit, the lease is kept and a cancel noticed this often


# How an attempt ended, as the transition it made (models.TRANSITIONS): COMPLETE, FAIL, BACKOFF or
# RELEASE by this worker, CANCEL by an admin meanwhile; None when it was lost (reaped from under us,
# or canceled and retried): its new owner, or the reaper, decides.
Ending = Action | None


@dataclass
class _Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    def add(self, generation: Generation) -> None:
        if generation.prompt_tokens is not None:
            self.prompt_tokens = (self.prompt_tokens or 0) + generation.prompt_tokens
        if generation.completion_tokens is not None:
            self.completion_tokens = (self.completion_tokens or 0) + generation.completion_tokens


def backoff_seconds(attempt: int, retry_after: float | None, options: WorkerOptions) -> float:
    """Exponential with jitter, never shorter than what the other side asked for."""
    delay = min(options.retry_max_seconds, options.retry_base_seconds * 2 ** max(attempt - 1, 0))
    delay *= random.uniform(0.75, 1.25)
    return max(delay, retry_after or 0.0)


class JobRunner:
    def __init__(
        self,
        jobs: JobsRepository,
        source_rows: SourceRowsRepository,
        generator: Generator,
        options: WorkerOptions,
        deadline: float,
        clock: Callable[[], datetime],
        secrets: list[str],
        calls: CallRecorder,
    ) -> None:
        self.jobs, self.source_rows, self.generator, self.options = jobs, source_rows, generator, options
        self.deadline, self.clock, self.secrets, self.calls = deadline, clock, secrets, calls

    def run(self, job: Job) -> Ending:
        lease = Lease(self.jobs, job, self.options, self.deadline, self.clock)
        generator = self.generator
        try:
            generator = self.calls.generator_for(job)  # a re-run's chosen model
            report = self._produce(job, lease, generator)
            if self.jobs.complete(job, report, self.clock()):
                return Action.COMPLETE
            return self._not_ours(job)
        except Abandoned as abandoned:
            return self._abandon(job, abandoned.why)
        except DatabaseUnavailable as exc:
            return self._release_when_database_returns(job, exc)
        except Exception as exc:
            return self._fault(job, exc, generator)

    # --- the steps ---------------------------------------------------------------------------

    def _produce(self, job: Job, lease: Lease, generator: Generator) -> GeneratedReport:
        lease.ensure()
        period = job_period(job.iso_week, job.month_key)
        rows = self.source_rows.load(job.scope_type, job.scope_key, period)
        if not rows:
            raise NoSourceRows(f"no source rows for {job.scope_type} {job.scope_key} {period.label}")
        previous = self.source_rows.load(job.scope_type, job.scope_key, period.previous())
        facts = build_facts(job.scope_type, job.scope_key, period, rows, previous)
        lease.ensure()
        started = time.monotonic()
        generation, report, usage = self._generate(job, generator, facts, build_messages(facts), lease)
        gen_ms = int((time.monotonic() - started) * 1000)
        return GeneratedReport(
            analysis_json=json.dumps(report, ensure_ascii=False),
            rows_used=facts.rows_used,
            gen_model=generation.model,
            gen_ms=gen_ms,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            prompt_version=PROMPT_VERSION,
        )

    def _generate(self, job: Job, generator: Generator, facts: ReportFacts, messages: list[Message], lease: Lease) -> tuple[Generation, dict[str, Any], _Usage]:
        """Generate and validate; output that breaks the schema gets exactly one more try, and a 429 is waited out
        in place (up to `rate_limit_waits` times). Each call's trace is stored."""
        usage = _Usage()
        waits_left = self.options.rate_limit_waits
        call_no = 1  # 2: the repair request after an invalid answer
        while True:
            if generator.timeout_seconds:  # a network call: wait out the endpoint's pause first, so the trace times the call alone
                self._wait_out_rate_limit(lease)
            call = self.calls.begin(job, call_no, generator, messages)
            try:
                generation = self._call(generator, facts, messages, lease)
                usage.add(generation)
                call.answered(generation)
                report = parse_report(generation.text)
                self.calls.end(call.valid())
                return generation, report, usage
            except InvalidReport as invalid:
                self.calls.end(call.invalid(invalid))
                if call_no == 2:
                    raise InvalidReport(f"the model's output did not match the report schema after a retry: {invalid}") from invalid
                log.info("report output invalid (%s); asking once more", invalid)
                messages = correction_messages(messages, invalid.output, str(invalid))
                call_no = 2
            except openai.RateLimitError as refused:
                self.calls.end(call.failed(refused))
                if waits_left <= 0 or not self._pause_for(refused, generator):
                    raise
                waits_left -= 1  # the same request goes again once the gate opens; the job's attempt is not spent
            except BaseException as exc:
                self.calls.end(call.failed(exc))
                raise

    def _pause_for(self, refused: openai.RateLimitError, generator: Generator) -> bool:
        """Close this process's gate for the wait a 429 asks; False when it asks for none, or too long to wait in place."""
        fault = classify(refused, generator.timeout_seconds)
        if not fault.transient or fault.retry_after is None or fault.retry_after > self.options.rate_limit_wait_max_seconds:
            return False
        rate_limits.GATE.pause(self.clock(), fault.retry_after, fault.reason)
        log.info("model call refused (429); every call here waits %.1f s, then this one is sent again", fault.retry_after)
        return True

    def _call(self, generator: Generator, facts: ReportFacts, messages: list[Message], lease: Lease) -> Generation:
        if not generator.timeout_seconds:
            return generator.generate(facts, messages)  # offline: no network call to guard
        lease.ensure_time_for(generator.timeout_seconds)
        generation = lease.run(lambda: generator.generate(facts, messages))
        rate_limits.GATE.observe(generation.rate_limit_headers, self.clock(), reserve=self.options.calls_in_flight)
        return generation

    def _wait_out_rate_limit(self, lease: Lease) -> None:
        """Hold the next model call while the endpoint's budget is spent, keeping the lease alive."""
        while (seconds := rate_limits.GATE.wait_seconds(self.clock())) > 0:
            lease.ensure_time_for(seconds)
            lease.ensure()
            lifecycle.wait_for_stop(min(seconds, RATE_WAIT_STEP_SECONDS))

    # --- endings that are not success --------------------------------------------------------

    def _not_ours(self, job: Job) -> Ending:
        current = self.jobs.get(job.job_id)
        if current is not None and current.status == Status.CANCELED:
            log.info("job %s was canceled while running; nothing stored", job.job_id)
            return Action.CANCEL
        log.warning("job %s attempt %d is no longer current (reaped, or canceled and retried); its result is dropped", job.job_id, job.attempts)
        return None

    def _release_when_database_returns(self, job: Job, exc: DatabaseUnavailable) -> Ending:
        """A database outage is nobody's fault: give the job back with its attempt unspent.

        The release needs the database too, so it is tried again until the pass must end; if the
        outage outlasts the pass, the lease expires and the reaper requeues the job.
        """
        log.info("job %s paused by a database outage (%s); releasing it once the database answers", job.job_id, exc.reason)
        while True:
            try:
                return Action.RELEASE if self.jobs.release(job) else self._not_ours(job)
            except DatabaseUnavailable:
                if time.monotonic() + RELEASE_RETRY_SECONDS >= self.deadline or lifecycle.wait_for_stop(RELEASE_RETRY_SECONDS):
                    return None

    def _abandon(self, job: Job, why: str) -> Ending:
        if why == NOT_OURS:
            return self._not_ours(job)
        log.info("job %s released unfinished: %s", job.job_id, why)
        if self.jobs.release(job):
            return Action.RELEASE
        return self._not_ours(job)

    def _fault(self, job: Job, exc: Exception, generator: Generator) -> Ending:
        fault: Fault = classify(exc, generator.timeout_seconds)
        detail = redact("".join(traceback.format_exception(exc)), self.secrets)
        now = self.clock()
        if fault.retry_after is not None:  # a 429: every job in this process waits, not just this one
            rate_limits.GATE.pause(now, fault.retry_after, fault.reason)
        if fault.transient and job.attempts < job.max_attempts:
            delay = backoff_seconds(job.attempts, fault.retry_after, self.options)
            reason = one_line(f"{fault.reason}; retry {job.attempts + 1} of {job.max_attempts} in {delay:.0f} s", self.secrets)
            log.warning("job %s will retry: %s", job.job_id, reason)
            if self.jobs.retry_later(job, delay, reason, detail, now):
                return Action.BACKOFF
            return self._not_ours(job)
        if fault.transient:
            reason = one_line(f"{fault.reason} (attempt {job.attempts} of {job.max_attempts}; no attempts left)", self.secrets)
        else:
            reason = one_line(fault.reason, self.secrets)
        log.warning("job %s failed: %s", job.job_id, reason)
        if self.jobs.fail(job, reason, detail, now):
            return Action.FAIL
        return self._not_ours(job)
