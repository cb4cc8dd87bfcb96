"""One model call as its trace stores it: built while the call runs, capped and masked once, at the end.

Every text (each message, the raw answer, the problem) is capped at MAX_TEXT_CHARS, so a trace stays
under about a quarter of a megabyte however many source rows the prompt carried or however long the
answer ran; a cut text ends with a line saying how much was left out, and the trace is marked
truncated. Secret setting values and anything shaped like a key or token are masked before storing.
"""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.reports.errors import InvalidReport
from shared.reports.generators import Generation, Generator
from shared.reports.prompt import Message
from shared.reports.prompt_version import PROMPT_VERSION
from shared.worker.redact import redact

MAX_TEXT_CHARS = 40_000
VALID, INVALID, ERROR = "valid", "invalid", "error"


def truncation_mark(left_out: int) -> str:
    return f"\n…[truncated: {left_out:,} more characters were not stored]"


@dataclass
class ModelCall:
    job_id: str
    attempt: int
    call_no: int
    started_at: datetime
    generator: str
    model: str
    parameters: dict[str, Any]
    messages: list[Message]
    prompt_version: str = PROMPT_VERSION
    answered_model: str | None = None
    answer_text: str | None = None
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: int | None = None
    request_id: str | None = None
    outcome: str = ERROR
    problem: str | None = None
    _started: float = field(default_factory=time.monotonic, repr=False)

    @classmethod
    def begin(cls, job_id: str, attempt: int, call_no: int, now: datetime, generator: Generator, messages: list[Message]) -> ModelCall:
        return cls(job_id, attempt, call_no, now, generator.kind, generator.model, dict(generator.parameters), [m.copy() for m in messages])

    def _stop(self) -> None:
        self.latency_ms = int((time.monotonic() - self._started) * 1000)

    def answered(self, generation: Generation) -> None:
        self._stop()
        self.answered_model = generation.model
        self.answer_text = generation.text
        self.finish_reason = generation.finish_reason
        self.prompt_tokens, self.completion_tokens = generation.prompt_tokens, generation.completion_tokens
        self.request_id = generation.request_id

    def valid(self) -> ModelCall:
        self.outcome = VALID
        return self

    def invalid(self, problem: InvalidReport) -> ModelCall:
        """The answer broke the schema (or was cut off): what broke it; the repair request is the next call."""
        if self.latency_ms is None:  # raised by the generator itself (no choices, cut off at the token limit)
            self._stop()
            self.answer_text = problem.output
        self.outcome, self.problem = INVALID, str(problem)
        return self

    def failed(self, exc: BaseException) -> ModelCall:
        if self.latency_ms is None:
            self._stop()
        self.request_id = self.request_id or getattr(exc, "request_id", None)
        self.outcome, self.problem = ERROR, "".join(traceback.format_exception_only(exc)).strip()
        return self

    def stored(self, secrets: list[str]) -> dict[str, Any]:
        """The row to insert: every text masked and capped; `truncated` says whether any was cut."""
        cut = False

        def text(value: str | None) -> str | None:
            nonlocal cut
            if value is None:
                return None
            value = redact(value, secrets)
            if len(value) <= MAX_TEXT_CHARS:
                return value
            cut = True
            return value[:MAX_TEXT_CHARS] + truncation_mark(len(value) - MAX_TEXT_CHARS)

        messages = [{**message, "content": text(str(message.get("content") or ""))} for message in self.messages]
        row = {
            "job_id": self.job_id,
            "attempt": self.attempt,
            "call_no": self.call_no,
            "started_at": self.started_at,
            "generator": self.generator,
            "model": self.model,
            "answered_model": self.answered_model,
            "prompt_version": self.prompt_version,
            "parameters_json": redact(json.dumps(self.parameters, sort_keys=True), secrets),
            "messages_json": json.dumps(messages, ensure_ascii=False),
            "answer_text": text(self.answer_text),
            "finish_reason": self.finish_reason,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "latency_ms": self.latency_ms,
            "request_id": self.request_id,
            "outcome": self.outcome,
            "problem": text(self.problem),
        }
        row["truncated"] = cut
        return row
