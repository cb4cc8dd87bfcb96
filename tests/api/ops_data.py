"""Jobs in known states for the operations tests (written through the real repository), and raw
replies for the routes that answer CSV rather than JSON."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import azure.functions as func

from shared.clock import utc_now
from shared.jobs.models import Job
from shared.jobs.repository import GeneratedReport, JobsRepository
from tests.api.conftest import AUTH, function

WORKER = "w1"
# Each new job is older than every earlier one, so a claim (oldest first) takes the job just made.
_AGE = itertools.count(1)


def queued(repo: JobsRepository, key: str, created_by: str = "seed", at: datetime | None = None, scope_type: str = "network") -> Job:
    return repo.enqueue(scope_type, key, "2026-W44", None, created_by, 3, at or utc_now() - timedelta(hours=1, seconds=next(_AGE)))[0]


def failed(repo: JobsRepository, key: str, reason: str = "model timed out", detail: str = "Traceback: TimeoutError", **kw) -> Job:
    job = queued(repo, key, **kw)
    assert repo.fail(_claim(repo, job), reason, detail, utc_now())
    return _get(repo, job)


def succeeded(repo: JobsRepository, key: str, **kw) -> Job:
    job = queued(repo, key, **kw)
    claimed = _claim(repo, job)
    assert repo.complete(claimed, GeneratedReport('{"headline": "ok"}', 3, "gpt-4o-mini", 20, 10, 5), utc_now())
    return _get(repo, job)


def running(repo: JobsRepository, key: str, **kw) -> Job:
    job = queued(repo, key, **kw)
    return _claim(repo, job)


def canceled(repo: JobsRepository, key: str, **kw) -> Job:
    job = queued(repo, key, **kw)
    repo.cancel(job.job_id, "canceled by seed", utc_now())
    return _get(repo, job)


def _claim(repo: JobsRepository, job: Job) -> Job:
    claimed = repo.claim(WORKER, 1, 60, utc_now())
    assert [c.job_id for c in claimed] == [job.job_id], "the newest-made job is the oldest queued one"
    return claimed[0]


def _get(repo: JobsRepository, job: Job) -> Job:
    found = repo.get(job.job_id)
    assert found is not None
    return found


def get_raw(name: str, route: str, headers: dict[str, str] | None = None, params: dict[str, str] | None = None) -> func.HttpResponse:
    request = func.HttpRequest(
        "GET", f"http://localhost:7071/api/{route}", headers={"Host": "localhost:7071", **(headers or AUTH)}, params=params or {}, body=b""
    )
    return function(name)(request)
