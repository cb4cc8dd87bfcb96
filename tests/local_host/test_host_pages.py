"""Pages the local host writes itself (sign-in, bad path, wrong host, malformed request, ...) carry the
site's own headers, so none of them can be framed, sniffed or run script (test_settings_and_modes
shows the floor for a site without a config)."""

from __future__ import annotations

import json

import pytest

from tests.support.host import REPO, Host

SITE_HEADERS = json.loads((REPO / "static_site" / "staticwebapp.config.json").read_text())["globalHeaders"]


def head_of(answer: bytes) -> tuple[int, dict[str, str]]:
    lines = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return int(lines[0].split(" ")[1]), {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}


@pytest.mark.parametrize(
    ("page", "request_bytes", "status"),
    [
        ("sign-in for a relayed client", b"GET /.auth/login/aad HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 203.0.113.7\r\n", 401),
        ("not an auth endpoint", b"GET /.auth/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n", 404),
        ("a bad path", b"GET /%2e%2e/secret HTTP/1.1\r\nHost: 127.0.0.1\r\n", 400),
        ("a page posted to", b"POST /admin/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n", 405),
        ("another host name", b"GET /admin/jobs HTTP/1.1\r\nHost: rebind.attacker.example\r\n", 421),
        ("a malformed header", b"GET /admin/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n", 400),
        ("a bad request line", b"NOT HTTP AT ALL\r\n", 400),
        ("an HTTP version it does not speak", b"GET /admin/jobs HTTP/9.9\r\n", 505),
        ("a target too long", b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n", 414),
    ],
)
def test_a_host_made_page_has_the_sites_headers(local_host: Host, page: str, request_bytes: bytes, status: int) -> None:
    answer = local_host.raw(request_bytes + b"Connection: close\r\n\r\n")
    got, headers = head_of(answer)
    assert got == status, page
    assert headers["content-type"] == "text/html; charset=utf-8", page
    for name, value in SITE_HEADERS.items():
        assert headers.get(name.lower()) == value, (page, name)
    assert b"<script" not in answer
