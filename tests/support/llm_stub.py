"""A chat-completions server on 127.0.0.1 for the real openai SDK to talk to.

It answers both the Azure path (/openai/deployments/<deployment>/chat/completions?api-version=...)
and the OpenAI path (/v1/chat/completions). Each request takes the next scripted reply, or the
default reply once the script runs out, after the configured latency plus the reply's own delay:

    with LlmStub(latency=1.0) as stub:          # the benchmark's slow model
        stub.script(rate_limited(retry_after=7), ok())
        ...openai.OpenAI(base_url=stub.base_url, ...)
        stub.requests                           # what the SDK sent, in order

    with LlmStub(rate_limit=RateWindow(requests=60, seconds=5)):   # an endpoint with a quota
        ...                                     # past 60 requests in a window: 429 + retry-after
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SAMPLE_REPORT: dict[str, Any] = {
    "headline": "Revenue up 4.2% on a strong Thursday",
    "summary": "Revenue rose 4.2% against the previous week while orders held steady. Incidents stayed low.",
    "kpis": [
        {"name": "revenue_eur", "value": 881234.5, "previous": 845700.0, "change_pct": 4.2, "unit": "EUR"},
        {"name": "orders", "value": 23110, "previous": None, "change_pct": None, "unit": None},
    ],
    "highlights": ["Thursday was the best day of the week."],
    "risks": [],
    "recommendations": ["Keep the Thursday promotion running."],
}


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # JSON-encoded unless it is already bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # on top of the stub's latency


@dataclass(frozen=True)
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    received_at: float = field(default_factory=time.monotonic)  # when the request arrived (monotonic clock)


def completion(
    content: str | None, finish_reason: str = "stop", prompt_tokens: int = 321, completion_tokens: int = 123, model: str = "stub-model-2024"
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": None, "message": {"role": "assistant", "content": content, "refusal": None}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
    }


def _error(status: int, code: str | None, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"error": {"message": message, "type": None, "param": None, "code": code}}, headers or {})


def ok(report: dict[str, Any] | None = None, **usage: Any) -> Reply:
    return Reply(body=completion(json.dumps(report or SAMPLE_REPORT), **usage))


def near_limit(remaining_requests: int, reset: str, report: dict[str, Any] | None = None) -> Reply:
    """A good answer whose rate-limit headers say the request budget is (nearly) spent until `reset` (e.g. "1s")."""
    headers = {"x-ratelimit-limit-requests": "100", "x-ratelimit-remaining-requests": str(remaining_requests), "x-ratelimit-reset-requests": reset}
    return Reply(body=completion(json.dumps(report or SAMPLE_REPORT)), headers=headers)


def text(content: str | None, finish_reason: str = "stop") -> Reply:
    """Any answer text: invalid JSON, JSON that breaks the schema, or nothing."""
    return Reply(body=completion(content, finish_reason))


def rate_limited(retry_after: float) -> Reply:
    return _error(429, "429", "Requests to the ChatCompletions Operation have exceeded the rate limit.", {"retry-after": f"{retry_after:g}"})


def server_error(status: int = 500) -> Reply:
    return _error(status, "server_error", "The server had an error while processing your request.")


def slow(seconds: float, then: Reply | None = None) -> Reply:
    """A reply that takes `seconds` longer than usual: past the client's timeout, or a long call to cancel."""
    base = then or ok()
    return Reply(base.status, base.body, base.headers, seconds)


def content_filter_prompt() -> Reply:
    """Azure's answer when its content filter blocks the prompt."""
    return _error(400, "content_filter", "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.")


def content_filter_answer() -> Reply:
    """Azure's answer when its content filter blocks the completion."""
    return text(None, finish_reason="content_filter")


def context_too_long() -> Reply:
    return _error(400, "context_length_exceeded", "This model's maximum context length is 128000 tokens. However, your messages resulted in 190000 tokens.")


def unauthorized(echo: str = "") -> Reply:
    # Some providers echo the key they were given; the worker must keep it out of reasons and logs.
    return _error(401, "invalid_api_key", f"Incorrect API key provided: {echo}. Access denied due to invalid subscription key.")


def forbidden() -> Reply:
    return _error(403, "PermissionDenied", "The principal lacks the required data action on this resource.")


class RateWindow:
    """A request quota per fixed window, as Azure OpenAI enforces one: a request past the window's
    budget is answered 429 with `retry-after` (whole seconds to the next window) and does not count;
    every accepted reply carries the `x-ratelimit-*-requests` headers the real endpoint sends."""

    def __init__(self, requests: int, seconds: float) -> None:
        self.requests, self.seconds = requests, seconds
        self.refused = 0  # requests answered 429
        self._window_start: float | None = None  # the first window opens with the first request
        self._used = 0

    def admit(self, now: float) -> Reply | None:
        """None when the request is within the budget, else the 429 to answer (the caller holds the stub's lock)."""
        if self._window_start is None:
            self._window_start = now
        if now - self._window_start >= self.seconds:
            self._window_start += (now - self._window_start) // self.seconds * self.seconds
            self._used = 0
        reset = self._window_start + self.seconds - now
        if self._used >= self.requests:
            self.refused += 1
            return rate_limited(math.ceil(reset))
        self._used += 1
        return None

    def headers(self, now: float) -> dict[str, str]:
        reset = max((self._window_start or now) + self.seconds - now, 0.0)
        return {
            "x-ratelimit-limit-requests": str(self.requests),
            "x-ratelimit-remaining-requests": str(max(self.requests - self._used, 0)),
            "x-ratelimit-reset-requests": f"{reset:.3f}s",
        }


class LlmStub:
    def __init__(self, latency: float = 0.0, default: Reply | None = None, rate_limit: RateWindow | None = None) -> None:
        self.latency = latency
        self.default = default or ok()
        self.rate_limit = rate_limit
        self.requests: list[Recorded] = []
        self.answered = 0  # replies fully written; a caller that gave up does not count
        self._script: deque[Reply] = deque()
        self._routes: dict[str, deque[Reply]] = {}  # text in the request body -> its own script
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="llm-stub", daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> LlmStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()  # wakes replies that are still sleeping
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LlmStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """For openai.OpenAI(base_url=...)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def azure_endpoint(self) -> str:
        """For openai.AzureOpenAI(azure_endpoint=...)."""
        return f"http://127.0.0.1:{self.port}"

    # --- scripting ---------------------------------------------------------------------------

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def route(self, fragment: str, *replies: Reply) -> None:
        """Replies for requests whose body contains `fragment` (a scope key), ahead of the shared script."""
        with self._lock:
            self._routes.setdefault(fragment, deque()).extend(replies)

    def requests_mentioning(self, fragment: str) -> list[Recorded]:
        return [recorded for recorded in list(self.requests) if fragment in json.dumps(recorded.body)]

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.requests) >= count:
                return True
            time.sleep(0.01)
        return False

    def _next(self, recorded: Recorded) -> Reply:
        text = json.dumps(recorded.body)
        with self._lock:
            self.requests.append(recorded)
            if self.rate_limit is not None and (refusal := self.rate_limit.admit(recorded.received_at)) is not None:
                return refusal
            reply = self._reply_for(text)
            if self.rate_limit is None:
                return reply
            return Reply(reply.status, reply.body, {**self.rate_limit.headers(recorded.received_at), **reply.headers}, reply.delay)

    def _reply_for(self, text: str) -> Reply:
        for fragment, replies in self._routes.items():
            if replies and fragment in text:
                return replies.popleft()
        return self._script.popleft() if self._script else self.default

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints do

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not _is_chat_path(parts.path):
                    self._send(_error(404, "not_found", f"no such path {parts.path}"))
                    return
                body = json.loads(raw or b"null")
                query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
                reply = stub._next(Recorded(parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body))
                if stub._closing.wait(stub.latency + reply.delay):
                    return
                if self._send(reply):
                    with stub._lock:
                        stub.answered += 1

            def _send(self, reply: Reply) -> bool:
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    # Real endpoints name each request; the SDK reads x-request-id into `_request_id`.
                    headers = {"x-request-id": f"req-stub-{len(stub.requests)}", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return False  # the client gave up (timeout, or an abandoned call)
                return True

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: tests assert on `requests`, not on logs

        return Handler


def _is_chat_path(path: str) -> bool:
    if path == "/v1/chat/completions":
        return True
    parts = path.strip("/").split("/")
    return len(parts) == 5 and parts[:2] == ["openai", "deployments"] and parts[3:] == ["chat", "completions"]
