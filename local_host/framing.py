"""Where one request ends and the next begins: the header block checked line by line, as RFC 9112 frames it.

The standard library's header parser is lenient where leniency lets one request hide another. A line
it cannot read as a field (`Content-Length : 5`, or a line with no colon) silently ends the headers,
so a body announced by that line is then run as a second request; a bare CR splits one line into
two fields; a folded line is glued onto the field before it. A proxy in front of the host may read
the same bytes differently, which is how requests are smuggled. So each of these is a 400 here:

- whitespace between a field name and its colon (RFC 9112 §5.1: a server MUST reject it with 400);
- a field line without a colon, or a name that is not a token (RFC 9110 §5.1);
- obs-fold, a line that starts with whitespace (RFC 9112 §5.2 allows rejecting it with 400; this
  also covers whitespace before the first field, RFC 9112 §2.2);
- CR, NUL or another control character inside a line (RFC 9110 §5.5);
- no Host in an HTTP/1.1 request, more than one Host, or a malformed one (RFC 9112 §3.2);
- a Content-Length that is not one whole number (RFC 9112 §6.3).
A Transfer-Encoding is 411: bodies must come with a Content-Length, so there is one way to frame them.
"""

from __future__ import annotations

import re
from email.message import Message
from http import HTTPStatus
from io import BufferedIOBase
from typing import Any

from shared.http.authority import parse_authority

_FIELD_NAME = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_TOKEN = re.compile(_FIELD_NAME.encode())
_TOKEN_TEXT = re.compile(_FIELD_NAME)
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")  # what a reply's header may carry (RFC 9110 §5.5), in Latin-1
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # every control character but HTAB
_END_OF_HEADERS = (b"\r\n", b"\n", b"")
_DIGITS = re.compile(r"[0-9]+")


class HeaderRecorder:
    """Stands in for the connection's reader while the standard library reads the header block,
    and keeps each raw line it read, so the lines can be checked as they were sent."""

    def __init__(self, source: BufferedIOBase) -> None:
        self.source = source
        self.lines: list[bytes] = []

    def readline(self, limit: int = -1) -> bytes:
        line = self.source.readline(limit)
        self.lines.append(line)
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self.source, name)


def framing_problem(lines: list[bytes], headers: Message, request_version: str) -> tuple[HTTPStatus, str] | None:
    """Why this request cannot be framed safely (the status and a sentence), or None when it can."""
    problem = header_block_problem(lines)
    if problem is None and headers.get("Transfer-Encoding") is not None:
        return HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length; chunked bodies are not accepted"
    problem = problem or host_problem(headers.get_all("Host") or [], request_version) or length_problem(headers.get_all("Content-Length") or [])
    return None if problem is None else (HTTPStatus.BAD_REQUEST, problem)


def content_length(headers: Message) -> int:
    """The body's length, once framing_problem found none."""
    return int((headers.get("Content-Length") or "0").strip())


def header_block_problem(lines: list[bytes]) -> str | None:
    """Why these raw header lines are not a well-formed field section, or None when they are."""
    for line in lines:
        if line in _END_OF_HEADERS:
            return None
        problem = _field_line_problem(line.removesuffix(b"\n").removesuffix(b"\r"))
        if problem:
            return problem
    return None


def host_problem(hosts: list[str], request_version: str) -> str | None:
    """Why the request's Host header fields break RFC 9112 §3.2, or None."""
    if len(hosts) > 1:
        return "more than one Host header"
    if not hosts:
        return "an HTTP/1.1 request needs a Host header" if request_version >= "HTTP/1.1" else None
    if parse_authority(hosts[0].strip()) is None:
        return "the Host header is not a host name with an optional port"
    return None


def length_problem(lengths: list[str]) -> str | None:
    values = {value.strip() for value in lengths}
    if len(values) > 1 or not all(_DIGITS.fullmatch(value) for value in values):
        return "Content-Length must be one whole number"
    return None


def unsendable_header(headers: list[tuple[str, str]]) -> str | None:
    """The name of a reply header that cannot go on the wire (a line break would split it into two,
    text outside Latin-1 cannot be written at all), or None."""
    return next((name for name, value in headers if not _TOKEN_TEXT.fullmatch(name) or not _FIELD_VALUE.fullmatch(value)), None)


def _field_line_problem(line: bytes) -> str | None:
    if line[:1] in (b" ", b"\t"):
        return "a header line starts with whitespace (obs-fold is not accepted)"
    if _CONTROL.search(line):
        return "a header line contains a control character (CR, NUL, ...)"
    name, colon, _ = line.partition(b":")
    if not colon:
        return "a header line has no colon"
    if name != name.rstrip(b" \t"):
        return "a header name is followed by whitespace before its colon"
    if not _TOKEN.fullmatch(name):
        return "a header name is not a token"
    return None
