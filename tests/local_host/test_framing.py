"""Request smuggling through lenient framing: each malformed header block gets one 400, its connection
closes, and nothing hidden inside it runs (the database is unchanged). Raw sockets, since no client
library would send these bytes."""

from __future__ import annotations

import json
import socket

import pytest

from tests.support.host import Host

ENQUEUE = json.dumps({"action": "enqueue_job", "scope_type": "network", "scope_key": "SMUGGLED", "iso_week": "2026-W20"}).encode()
# A complete request that enqueues a job: what each attack tries to run as a second request.
SMUGGLED = (
    b"POST /api/admin/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: " + str(len(ENQUEUE)).encode() + b"\r\nConnection: close\r\n\r\n" + ENQUEUE
)
LENGTH = str(len(SMUGGLED)).encode()


def statuses(answer: bytes) -> list[int]:
    """The status of each response in what the host sent back, read by their Content-Length."""
    found = []
    while answer:
        head, _, rest = answer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        found.append(int(lines[0].split(b" ")[1]))
        length = next(int(line.split(b":")[1]) for line in lines[1:] if line.lower().startswith(b"content-length:"))
        answer = rest[length:]
    return found


def test_pipelined_requests_are_each_answered(local_host: Host) -> None:
    """The control: two well-framed requests on one connection get two answers, so one answer below means one request ran."""
    first = b"GET /api/admin/jobs?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    second = b"GET /api/admin/jobs?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    assert statuses(local_host.raw(first + second)) == [200, 200]


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("whitespace before the colon", b"Content-Length : " + LENGTH),
        ("a tab before the colon", b"Content-Length\t: " + LENGTH),
        ("a line without a colon", b"X-Note this line has no colon\r\nContent-Length: " + LENGTH),
        ("obs-fold", b"X-Note: first part\r\n second part\r\nContent-Length: " + LENGTH),
        ("a folded Content-Length", b"X-Note: x\r\n\tContent-Length: " + LENGTH),
        ("a bare CR splitting a line", b"X-Note: x\rContent-Length: " + LENGTH),
        ("a NUL in a value", b"X-Note: a\x00b\r\nContent-Length: " + LENGTH),
        ("a name that is not a token", b"X(Note): x\r\nContent-Length: " + LENGTH),
        ("a Content-Length of a superscript digit", b"Content-Length: \xb2"),
        ("two different Content-Lengths", b"Content-Length: 0\r\nContent-Length: " + LENGTH),
        ("a chunked body", b"Transfer-Encoding: chunked\r\nContent-Length: " + LENGTH),
    ],
)
def test_a_malformed_header_block_is_one_400_and_hides_no_request(local_host: Host, name: str, head: bytes) -> None:
    before = local_host.database()
    attack = b"POST /api/admin/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + head + b"\r\n\r\n" + SMUGGLED
    answer = local_host.raw(attack)
    assert statuses(answer) in ([400], [411]), name  # one answer: the connection closed after it
    assert b"connection: close" in answer.lower()
    assert local_host.database() == before, name


@pytest.mark.parametrize(
    ("name", "request_bytes"),
    [
        ("whitespace before the first header", b"GET /api/admin/jobs HTTP/1.1\r\n Host: 127.0.0.1\r\n\r\n"),
        ("no Host in HTTP/1.1", b"GET /api/admin/jobs HTTP/1.1\r\nAccept: */*\r\n\r\n"),
        ("two Host headers", b"GET /api/admin/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n"),
        ("a Host with a space", b"GET /api/admin/jobs HTTP/1.1\r\nHost: 127.0.0.1 evil\r\n\r\n"),
        ("a Host with a path", b"GET /api/admin/jobs HTTP/1.1\r\nHost: 127.0.0.1/x\r\n\r\n"),
    ],
)
def test_a_request_without_exactly_one_good_host_gets_no_data(local_host: Host, name: str, request_bytes: bytes) -> None:
    answer = local_host.raw(request_bytes)
    assert statuses(answer) == [400], name
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["ok"] is False and body["code"] == "bad_request" and "Malformed request" in body["error"]
    assert b'"jobs"' not in answer


def test_bad_framing_is_refused_before_the_body_is_invited(local_host: Host) -> None:
    """With Expect: 100-continue the client waits; it must hear the 400, never a 100 asking for the body."""
    with socket.create_connection(("127.0.0.1", local_host.port), timeout=10) as sock:
        sock.sendall(b"POST /api/admin/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length : 5\r\n\r\n")
        first = sock.recv(65536)
    assert first.startswith(b"HTTP/1.1 400 ")
    assert b"100 Continue" not in first
