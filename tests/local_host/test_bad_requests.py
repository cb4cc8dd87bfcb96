"""Traversal in every spelling, malformed HTTP and vanishing clients: nothing leaks, the server stays up."""

from __future__ import annotations

import socket

import pytest

from tests.local_host.conftest import SECRET
from tests.support.host import Host

TRAVERSALS = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/%252e%252e/secret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/assets/%252e%252e%252f%252e%252e%252fsecret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/secret.txt%00.html",
    "/api/../../secret.txt",
    "http://127.0.0.1/../secret.txt",
    "../secret.txt",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/../../../../../../etc/passwd",
    "/leakdir/secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_never_serves_a_file_outside_the_site(site_host: Host, target: str) -> None:
    answer = site_host.raw(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    status = int(answer.split(b" ", 2)[1])
    assert status < 500
    assert SECRET.encode() not in answer
    assert b"root:x:" not in answer


def test_dot_segments_are_refused_outright(site_host: Host) -> None:
    for target in ("/../secret.txt", "/%2e%2e/secret.txt", "/%252e%252e/secret.txt", "/..%5csecret.txt"):
        answer = site_host.raw(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 400 "), target


def test_an_api_path_that_is_refused_gets_the_json_error(site_host: Host) -> None:
    answer = site_host.raw(b"GET /api/admin/%2e%2e/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b'"code":"bad_path"' in answer


def test_malformed_requests_and_vanishing_clients_do_not_stop_the_server(site_host: Host) -> None:
    assert site_host.raw(b"THIS IS NOT HTTP\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert site_host.raw(b"GET / HTTP/9.9\r\n\r\n").split(b" ")[1] == b"505"
    assert site_host.raw(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n").split(b" ")[1] == b"414"
    assert site_host.raw(b"POST /api/admin/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert site_host.raw(b"POST /api/admin/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").startswith(b"HTTP/1.1 411 ")
    # A client that promises a body, sends a little of it and hangs up; and one that connects and leaves.
    with socket.create_connection(("127.0.0.1", site_host.port)) as sock:
        sock.sendall(b'POST /api/admin/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"act')
    socket.create_connection(("127.0.0.1", site_host.port)).close()

    reply = site_host.request("GET", "/api/admin/jobs?limit=1")
    assert reply.status == 200
    assert reply.json()["ok"] is True
    assert "Traceback" not in site_host.log()
