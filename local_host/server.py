"""HTTP framing: parse, limit and sanitise each request, hand it to the router, write the reply, log one line.

A thread per connection (daemon threads), so a slow or broken client only ever holds its own thread.
A malformed request (see framing.py) gets a 400 and its connection is closed, so nothing after it
on that connection is read as another request; the server carries on.
"""

from __future__ import annotations

import logging
import socket
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import Any, cast

from local_host.framing import HeaderRecorder, content_length, framing_problem, unsendable_header
from local_host.host_names import misdirected
from local_host.reply import Reply
from local_host.request import Request
from local_host.router import Router
from local_host.safe_path import BadTarget, split_target
from local_host.work import WorkTracker
from shared.auth.local import CLIENT_ADDR_HEADER
from shared.auth.principal import PRINCIPAL_HEADER

log = logging.getLogger("local_host.http")
MAX_BODY_BYTES = 1024 * 1024
IDLE_TIMEOUT_SECONDS = 30
_NO_BODY_STATUSES = {204, 304}


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], router: Router, tracker: WorkTracker, trust_principal: bool, answered_names: frozenset[str] | None) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.router = router
        self.tracker = tracker
        self.trust_principal = trust_principal
        self.answered_names = answered_names  # None: any Host (see host_names)
        self.stopping = False
        super().__init__(address, RequestHandler)

    @property
    def base_url(self) -> str:
        host, port = cast("tuple[str, int]", self.server_address[:2])  # an AF_INET or AF_INET6 socket's (host, port, ...)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        # A client that vanished or sent garbage: one line, not a traceback, and the server goes on.
        log.warning("connection from %s ended with %s", client_address[0], sys.exc_info()[1])


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Garbage in the request line would otherwise count as HTTP/0.9 and get an error with no status line.
    default_request_version = "HTTP/1.0"
    server_version = "ai-jobs-monitor-local-host"
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's delayed
    # ACK (40 ms on Linux), so every keep-alive API call took 40+ ms (`make bench` found it).
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_SECONDS
    server: LocalServer

    def _serve(self) -> None:
        started = time.monotonic()
        path = self.path.split("?", 1)[0]
        reply = self._reply(path)
        if reply is None:
            self.close_connection = True
            log.info("%s %s client disconnected before sending its body", self.command, _printable(path))
            return
        if (header := unsendable_header(reply.headers)) is not None:
            log.error("%s %s: its reply's %s header cannot be sent (a line break, or text outside Latin-1)", self.command, _printable(path), _printable(header))
            reply = self.server.router.refusal(path, 500, "internal_error", "Internal error; the details are in the server log.")
        self._write(reply)
        log.info("%s %s %d %.1f ms", self.command, _printable(path), reply.status, (time.monotonic() - started) * 1000)

    def parse_request(self) -> bool:
        """The standard library's parse, on a reader that keeps the raw header lines for the checks."""
        reader = self.rfile
        recorder = HeaderRecorder(reader)
        self.rfile = cast("BufferedIOBase", recorder)  # the standard library reads headers with readline alone
        self._header_lines = recorder.lines
        try:
            return super().parse_request() and self._framing_accepted()
        finally:
            self.rfile = reader

    def handle_expect_100(self) -> bool:
        # Called inside parse_request once the headers are read: refuse bad framing before inviting the body.
        return self._framing_accepted() and super().handle_expect_100()

    def _framing_accepted(self) -> bool:
        problem = framing_problem(self._header_lines, self.headers, self.request_version)
        if problem:
            status, message = problem
            self.send_error(status, f"Malformed request: {message}")
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's refusals (a bad request line, 414, 431, 505) and the framing checks', in
        the host's own shapes; the connection then closes, since where the next request starts is unknown."""
        status = HTTPStatus(code)
        path = self.path.split("?", 1)[0] if self.command else "/"
        log.warning("%s: %s %s refused with %d: %s", self.client_address[0], self.command or "-", _printable(path), code, _printable(message or ""))
        self.close_connection = True
        self._write(self.server.router.refusal(path, code, status.name.lower(), message or status.phrase))

    def __getattr__(self, name: str) -> Any:
        # http.server looks up do_<METHOD>; every method reaches the router, so an unexpected one
        # (TRACE, QUERY, ...) gets the function's own 405 with Allow rather than a bare 501 page.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _reply(self, raw_path: str) -> Reply | None:
        try:
            path, query = split_target(self.path)
        except BadTarget as err:
            self.close_connection = True
            return self.server.router.refusal(raw_path, 400, "bad_path", f"Bad request path: {err}")
        if wrong_host := misdirected(self.headers.get("Host"), self.server.answered_names):
            self.close_connection = True
            return self.server.router.refusal(path, 421, "misdirected_request", wrong_host)
        if self.server.stopping:
            self.close_connection = True
            return self.server.router.refusal(path, 503, "shutting_down", "The local host is shutting down", {"Retry-After": "5"})
        body = self._read_body(path)
        if not isinstance(body, bytes):
            return body
        request = Request(self.command, path, query, self._headers(), body, self.client_address[0], self._base_url())
        with self.server.tracker.running():
            try:
                return self.server.router.handle(request)
            except Exception:
                log.exception("%s %s failed in the host", self.command, _printable(path))
                return self.server.router.refusal(path, 500, "internal_error", "Internal error; the details are in the server log.")

    def _read_body(self, path: str) -> bytes | Reply | None:
        """The body, a 413 reply, or None when the client went away mid-body."""
        length = content_length(self.headers)
        if length > MAX_BODY_BYTES:
            # Refused before reading a byte of it; the connection closes so the unread body is dropped.
            self.close_connection = True
            return self.server.router.refusal(path, 413, "body_too_large", f"The body must be at most {MAX_BODY_BYTES} bytes")
        body = self.rfile.read(length)
        return body if len(body) == length else None

    def _headers(self) -> tuple[tuple[str, str], ...]:
        """The client's headers, minus the ones only the host may set, plus the real peer address.

        Nothing in front of the local host strips a forged `x-ms-client-principal`, so it is dropped
        unless AUTH_MODE says a platform in front of this host does that (platform mode).
        """
        dropped = {CLIENT_ADDR_HEADER} if self.server.trust_principal else {CLIENT_ADDR_HEADER, PRINCIPAL_HEADER}
        kept = tuple((name, value) for name, value in self.headers.items() if name.lower() not in dropped)
        return (*kept, (CLIENT_ADDR_HEADER, self.client_address[0]))

    def _base_url(self) -> str:
        host = (self.headers.get("Host") or "").strip()  # checked by _framing_accepted
        return f"http://{host}" if host else self.server.base_url

    def _write(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and reply.status not in _NO_BODY_STATUSES:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def version_string(self) -> str:
        return self.server_version

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: `_serve` logs each request once, with its time."""

    def log_error(self, format: str, *args: object) -> None:
        log.warning("%s: %s", self.client_address[0], format % args)


def _printable(text: str) -> str:
    """Safe for one log line: a client cannot forge extra lines."""
    return "".join(char if char.isprintable() else "?" for char in text[:300])
