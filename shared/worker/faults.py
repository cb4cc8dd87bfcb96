"""Sorting what went wrong in a job into transient (retry later) and permanent (fail now)."""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass

import openai

from shared.jobs.periods import InvalidPeriod
from shared.reports.errors import ReportError


@dataclass(frozen=True)
class Fault:
    transient: bool
    reason: str  # one line for admins; says what happened, not how to read a stack trace
    retry_after: float | None = None  # seconds the other side asked us to wait


def _error_code(exc: openai.APIStatusError) -> str:
    code = getattr(exc, "code", None)
    if not code and isinstance(exc.body, dict):
        inner = exc.body.get("error", exc.body)
        code = inner.get("code") if isinstance(inner, dict) else None
    return str(code or "")


def retry_after_seconds(headers: object) -> float | None:
    """The wait a 429 asks for: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    millis = get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return max(email.utils.mktime_tz(parsed) - time.time(), 0.0) if parsed else None


def _status_fault(exc: openai.APIStatusError) -> Fault:
    status, code = exc.status_code, _error_code(exc)
    if code == "content_filter" or "content_filter" in str(exc.body):
        return Fault(False, "the prompt was blocked by the model provider's content filter")
    if code in ("context_length_exceeded", "string_above_max_length"):
        return Fault(False, "the prompt is too long for the model's context window")
    if status == 401:
        return Fault(False, "the model endpoint rejected the credentials (401); check the API key or the managed identity")
    if status == 403:
        return Fault(False, "the model endpoint denied access (403); check the identity's role on the resource")
    if status == 429 and code == "insufficient_quota":
        return Fault(False, "the model account has no quota left (429 insufficient_quota)")
    if status == 429:
        return Fault(True, "the model endpoint is rate limiting (429)", retry_after_seconds(exc.response.headers))
    if status >= 500 or status in (408, 409):
        return Fault(True, f"the model endpoint failed ({status})")
    return Fault(False, f"the model endpoint refused the request ({status}{' ' + code if code else ''})")


def classify(exc: BaseException, model_timeout_seconds: float) -> Fault:
    if isinstance(exc, ReportError):
        return Fault(False, str(exc))
    if isinstance(exc, openai.APITimeoutError):
        return Fault(True, f"the model request timed out after {model_timeout_seconds:g} s")
    if isinstance(exc, openai.APIConnectionError):
        return Fault(True, "could not reach the model endpoint (connection error)")
    if isinstance(exc, openai.APIStatusError):
        return _status_fault(exc)
    if isinstance(exc, InvalidPeriod):
        return Fault(False, f"the job's period is invalid: {exc}")
    return Fault(False, f"unexpected error: {type(exc).__name__}: {exc}")
