"""HTTP framing: parse, limit and sanitise each request, hand it to the router, write the reply, log one line.

A thread per connection (daemon threads), so a slow or broken client only ever holds its own thread;
malformed requests get the standard library's 400 and the server carries on.
"""

from __future__ import annotations

import logging
import re
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from local_host.reply import Reply, error_for
from local_host.request import Request
from local_host.router import Router
from local_host.safe_path import BadTarget, split_target
from local_host.work import WorkTracker
from shared.auth.local import CLIENT_ADDR_HEADER
from shared.auth.principal import PRINCIPAL_HEADER

log = logging.getLogger("local_host.http")
MAX_BODY_BYTES = 1024 * 1024
IDLE_TIMEOUT_SECONDS = 30
_HOST_HEADER = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
_NO_BODY_STATUSES = {204, 304}


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], router: Router, tracker: WorkTracker, trust_principal: bool) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.router = router
        self.tracker = tracker
        self.trust_principal = trust_principal
        self.stopping = False
        super().__init__(address, RequestHandler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
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
        self._write(reply)
        log.info("%s %s %d %.1f ms", self.command, _printable(path), reply.status, (time.monotonic() - started) * 1000)

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
            return error_for(raw_path, 400, "bad_path", f"Bad request path: {err}")
        if self.server.stopping:
            self.close_connection = True
            return error_for(path, 503, "shutting_down", "The local host is shutting down", {"Retry-After": "5"})
        body = self._read_body(path)
        if not isinstance(body, bytes):
            return body
        request = Request(self.command, path, query, self._headers(), body, self.client_address[0], self._base_url())
        with self.server.tracker.running():
            try:
                return self.server.router.handle(request)
            except Exception:
                log.exception("%s %s failed in the host", self.command, _printable(path))
                return error_for(path, 500, "internal_error", "Internal error; the details are in the server log.")

    def _read_body(self, path: str) -> bytes | Reply | None:
        """The body, a 4xx reply, or None when the client went away mid-body."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return error_for(path, 411, "length_required", "Send the body with a Content-Length; chunked bodies are not accepted")
        lengths = set(self.headers.get_all("Content-Length") or [])
        if not lengths:
            return b""
        raw = lengths.pop()
        if lengths or not raw.strip().isdigit():
            self.close_connection = True
            return error_for(path, 400, "bad_content_length", "Content-Length must be one whole number")
        length = int(raw)
        if length > MAX_BODY_BYTES:
            # Refused before reading a byte of it; the connection closes so the unread body is dropped.
            self.close_connection = True
            return error_for(path, 413, "body_too_large", f"The body must be at most {MAX_BODY_BYTES} bytes")
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
        host = (self.headers.get("Host") or "").strip()
        return f"http://{host}" if _HOST_HEADER.match(host) else self.server.base_url

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
