"""What functions receive from the host and what the host sends back, shown by a test-only app.

The host imports `function_app` from its working directory, so here it serves echo_app/function_app.py:
real azure.functions objects, registered the same way as the real app's.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Iterator

import pytest

from tests.local_host.conftest import ECHO_APP
from tests.support.host import Host, start_host, wait_for


@pytest.fixture(scope="module")
def echo_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    root = tmp_path_factory.mktemp("echo_host")
    # Every second, and each run takes longer than that: the runs must queue up behind each other.
    env = {"AUTH_MODE": None, "ECHO_SCHEDULE": "*/1 * * * * *", "TICK_SECONDS": "1.5", "TICK_LOG": str(root / "ticks.jsonl")}
    host = start_host(root, env, app_dir=ECHO_APP)
    yield host
    host.stop()


def ticks(host: Host) -> list[dict[str, object]]:
    log = host.db_path.parent / "ticks.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_the_function_gets_method_url_headers_query_route_params_and_body(echo_host: Host) -> None:
    reply = echo_host.request("PUT", "/api/echo/alpha/beta?x=1&y=two%20words&empty=", body="héllo".encode(), headers={"X-Test": "yes"})
    assert reply.status == 200
    seen = reply.json()
    assert seen["method"] == "PUT"
    assert seen["url"] == f"{echo_host.base_url}/api/echo/alpha/beta?x=1&y=two%20words&empty="
    assert seen["params"] == {"x": "1", "y": "two words", "empty": ""}
    assert seen["route_params"] == {"name": "alpha", "rest": "beta"}
    assert seen["headers"]["x-test"] == "yes"
    assert seen["body"] == "héllo"


def test_an_optional_route_parameter_may_be_left_out(echo_host: Host) -> None:
    assert echo_host.request("GET", "/api/echo/alpha").json()["route_params"] == {"name": "alpha"}


def test_forged_client_address_and_principal_headers_are_replaced_and_dropped(echo_host: Host) -> None:
    forged_principal = base64.b64encode(json.dumps({"userDetails": "mallory", "userRoles": ["admin"]}).encode()).decode()
    reply = echo_host.request("GET", "/api/echo/x", headers={"X-Localhost-Client-Addr": "10.9.8.7", "X-MS-Client-Principal": forged_principal})
    headers = reply.json()["headers"]
    assert headers["x-localhost-client-addr"] == "127.0.0.1"  # the real peer, not the forged value
    assert "x-ms-client-principal" not in headers  # AUTH_MODE has no platform: nothing vouches for it


def test_a_literal_route_wins_over_a_parameter_and_the_response_comes_back_unchanged(echo_host: Host) -> None:
    reply = echo_host.request("GET", "/api/items/new")
    assert reply.status == 203
    assert reply.body == b"the new-item form"
    assert reply.headers["x-from-function"] == "kept as sent"
    assert reply.headers["cache-control"] == "private"
    assert reply.headers["content-type"] == "text/plain; charset=utf-8"
    assert echo_host.request("GET", "/api/items/42").body == b"item 42"


def test_a_method_outside_the_binding_gets_405_with_allow(echo_host: Host) -> None:
    refused = echo_host.request("POST", "/api/items/42", body={})
    assert refused.status == 405
    assert refused.headers["allow"] == "GET"
    assert refused.json()["code"] == "method_not_allowed"
    assert echo_host.request("DELETE", "/api/items/new").headers["allow"] == "GET, POST"


@pytest.mark.parametrize("value", ["%E2%80%A8", "%E3%80%80", "a%0D%0ASet-Cookie:%20stolen=1", "a%00b"])
def test_a_reply_header_that_cannot_be_sent_is_a_500_not_a_dropped_connection(echo_host: Host, value: str) -> None:
    answer = echo_host.raw(f"GET /api/header?value={value} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 500 ")
    assert b'"code":"internal_error"' in answer and b"stolen" not in answer
    assert echo_host.request("GET", "/api/header?value=fine").headers["x-echo"] == "fine"


def test_a_function_that_raises_gets_a_500_json_error_without_details(echo_host: Host) -> None:
    reply = echo_host.request("GET", "/api/boom")
    assert reply.status == 500
    assert reply.json() == {"ok": False, "error": "Internal error; the details are in the server log.", "code": "internal_error"}
    wait_for(lambda: "RuntimeError: internal detail" in echo_host.log(), 5, "the traceback in the host's log", echo_host)


def test_timer_runs_never_overlap_and_late_ones_are_past_due(echo_host: Host) -> None:
    runs = wait_for(lambda: len(ticks(echo_host)) >= 3 and ticks(echo_host), 20, "three timer runs", echo_host)
    assert {run["type"] for run in runs} == {"azure.functions.timer.TimerRequest"}
    for previous, current in itertools.pairwise(runs):
        assert current["start"] >= previous["end"]  # type: ignore[operator]
    # Each run outlasts the one-second schedule, so every run after the first serves an occurrence
    # that came while the previous one was still going.
    assert runs[0]["past_due"] is False
    assert all(run["past_due"] is True for run in runs[1:])
