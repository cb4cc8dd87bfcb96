"""API latency at one table size: list, each status filter, middle and last pages, searches, job
detail and the stats, in-process through the function objects and over HTTP through the local host
(first and last pages also on a new connection per request)."""

from __future__ import annotations

import http.client
import json
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.app_env import AUTH_HEADERS, LocalHost, function, in_process, jobs_request
from bench.stats import SAMPLES, Distribution, time_calls
from shared.jobs.models import STATUSES

LIMIT = 50
# The searches of issue 20 over the demo data: (case, query). A scope key on 1/16 of the jobs, a
# creator on a quarter, error text on about 1 in 80, a status filter, text that matches nothing.
SEARCHES = (
    ("search:NET-EMEA", {"q": "NET-EMEA"}),
    ("search:contoso", {"q": "contoso"}),
    ("search:scheduler", {"q": "scheduler"}),
    ("search:timed out", {"q": "timed out"}),
    ("search:content filter", {"q": "content filter"}),
    ("search:contoso&failed", {"q": "contoso", "status": "failed"}),
    ("search:no match", {"q": "no such text anywhere"}),
    ("search:id prefix, no match", {"q": "ffffffffff"}),
)
# Pages the bench also times with a new connection per request, over HTTP.
NEW_CONNECTION_CASES = ("list", "last_page")
# The charts page's 30-day reads (issue 8), from the hourly rollups: (case, route, query).
METRICS_CASES = (("metrics_30d", "admin/metrics", {"range": "30d"}), ("usage_30d", "admin/usage", {"range": "30d"}))


@dataclass(frozen=True)
class Case:
    name: str  # list, filter:<status>, page:<where>, last_page, search:<what>, detail
    params: list[dict[str, str]]  # one per call, cycled


def cases(sqlite_path: Path) -> list[Case]:
    conn = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        total = conn.execute("SELECT SUM(n) FROM exec_report_job_counts").fetchone()[0]
        # Detail for jobs spread over the whole table, not one hot row.
        ids = [row[0] for row in conn.execute("SELECT job_id FROM exec_report_jobs ORDER BY random() LIMIT ?", (SAMPLES,))]
    finally:
        conn.close()
    page = {"page": "1", "limit": str(LIMIT)}
    last = -(-total // LIMIT)
    random.Random(1).shuffle(ids)
    return [
        Case("list", [page]),
        *(Case(f"filter:{status}", [{**page, "status": status}]) for status in STATUSES),
        Case("page:quarter", [{"page": str(max(last // 4, 1)), "limit": str(LIMIT)}]),
        Case("page:middle", [{"page": str(max(last // 2, 1)), "limit": str(LIMIT)}]),
        Case("last_page", [{"page": str(last), "limit": str(LIMIT)}]),
        *(Case(name, [{**page, **query}]) for name, query in SEARCHES),
        Case("search:id prefix", [{**page, "q": job_id[:8]} for job_id in ids]),
        Case("detail", [{"job_id": job_id} for job_id in ids]),
    ]


def _checked(status: int, body: bytes, what: str) -> None:
    if status != 200 or not json.loads(body).get("ok"):
        raise RuntimeError(f"{what} answered {status}: {body[:200]!r}")


def measure_in_process(sqlite_path: Path) -> dict[str, Distribution]:
    from shared.app_context import get_context

    results: dict[str, Distribution] = {}
    with in_process(sqlite_path):
        jobs_handler = function("admin_jobs")
        timed = [(case.name, jobs_handler, [jobs_request(params) for params in case.params]) for case in cases(sqlite_path)]
        # The function objects read only the query, so the jobs request shape serves the metrics routes too.
        timed += [(name, function(route.replace("/", "_")), [jobs_request(params)]) for name, route, params in METRICS_CASES]
        for name, handler, requests in timed:

            def call(i: int, handler: Callable = handler, requests: list = requests, name: str = name) -> None:
                response = handler(requests[i % len(requests)])
                _checked(response.status_code, response.get_body(), name)

            results[name] = time_calls(call)
        # No endpoint serves the stats alone; they are the repository's counts(), which every list call runs.
        repo = get_context().jobs
        results["stats"] = time_calls(lambda _i: repo.counts())
    return results


def measure_http(sqlite_path: Path) -> dict[str, Distribution]:
    results: dict[str, Distribution] = {}
    with LocalHost(sqlite_path) as host:
        target = urlsplit(host.base_url)
        conn = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=30)
        try:
            for case in cases(sqlite_path):
                paths = [f"/api/admin/jobs?{urlencode(params)}" for params in case.params]
                results[case.name] = time_calls(_http_call(conn, paths, case.name))
                if case.name in NEW_CONNECTION_CASES:
                    results[f"{case.name}, new connection"] = time_calls(_new_connection_call(target.hostname or "127.0.0.1", target.port, paths, case.name))
            for name, route, params in METRICS_CASES:
                results[name] = time_calls(_http_call(conn, [f"/api/{route}?{urlencode(params)}"], name))
        finally:
            conn.close()
    return results


def _new_connection_call(host: str, port: int | None, paths: list[str], name: str) -> Callable[[int], None]:
    """A client that connects for each request (a script, a curl loop), as the issue measured."""

    def call(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            _http_call(conn, paths, name)(i)
        finally:
            conn.close()

    return call


def _http_call(conn: http.client.HTTPConnection, paths: list[str], name: str) -> Callable[[int], None]:
    def call(i: int) -> None:
        conn.request("GET", paths[i % len(paths)], headers=AUTH_HEADERS)
        response = conn.getresponse()
        _checked(response.status, response.read(), name)

    return call
