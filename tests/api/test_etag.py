"""The list answers with a strong ETag; a poll that sends it back gets 304 with no body until the
jobs, the counts or the page change. The page polls every 2 s, so this is what most polls cost."""

from __future__ import annotations

from datetime import timedelta

import pytest

import shared.api.jobs as jobs_api
from shared.clock import utc_now
from shared.jobs.repository import JobsRepository
from tests.api.conftest import jobs


def enqueue(repo: JobsRepository, count: int) -> list[str]:
    start = utc_now() - timedelta(minutes=10)
    return [repo.enqueue("network", f"NET-{i:02d}", "2026-W44", None, "test", 3, start + timedelta(seconds=i))[0].job_id for i in range(count)]


def test_unchanged_list_answers_304_without_a_body(repo: JobsRepository) -> None:
    enqueue(repo, 3)
    first = jobs(params={"page": "1", "limit": "50"})
    etag = first.headers["ETag"]
    assert first.status == 200 and etag.startswith('"') and etag.endswith('"'), "a strong, quoted ETag"
    again = jobs(params={"page": "1", "limit": "50"}, headers={"If-None-Match": etag})
    assert again.status == 304 and again.body is None
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "no-store"


def test_waiting_jobs_keep_their_etag_as_the_clock_moves(repo: JobsRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    enqueue(repo, 2)
    claimed = repo.claim("w1", 1, 600, utc_now())
    assert claimed, "one job running, one queued: both have seconds that grow"
    first = jobs()
    later = utc_now() + timedelta(minutes=5)
    monkeypatch.setattr(jobs_api, "utc_now", lambda: later)
    fresh = jobs()
    assert fresh.body["jobs"] != first.body["jobs"], "the seconds moved on"
    assert fresh.headers["ETag"] == first.headers["ETag"]
    assert jobs(headers={"If-None-Match": first.headers["ETag"]}).status == 304


def test_a_change_in_jobs_or_counts_gives_a_new_answer(repo: JobsRepository) -> None:
    ids = enqueue(repo, 3)
    etag = jobs().headers["ETag"]
    repo.cancel(ids[0], "canceled by test", utc_now())
    changed = jobs(headers={"If-None-Match": etag})
    assert changed.status == 200 and changed.headers["ETag"] != etag
    assert changed.body["stats"]["canceled"] == 1
    enqueue_more = repo.enqueue("region", "north", "2026-W44", None, "test", 3, utc_now())
    assert enqueue_more[1]
    assert jobs(headers={"If-None-Match": changed.headers["ETag"]}).status == 200


def test_each_page_and_filter_has_its_own_etag(repo: JobsRepository) -> None:
    enqueue(repo, 4)
    tags = {
        jobs(params={"page": "1", "limit": "2"}).headers["ETag"],
        jobs(params={"page": "2", "limit": "2"}).headers["ETag"],
        jobs(params={"status": "queued"}).headers["ETag"],
        jobs(params={"status": "failed"}).headers["ETag"],
    }
    assert len(tags) == 4
    page_one = jobs(params={"page": "1", "limit": "2"}).headers["ETag"]
    assert jobs(params={"page": "2", "limit": "2"}, headers={"If-None-Match": page_one}).status == 200


@pytest.mark.parametrize("header", ['"nope", {etag}', "W/{etag}", "*"])
def test_if_none_match_lists_weak_forms_and_star(repo: JobsRepository, header: str) -> None:
    enqueue(repo, 1)
    etag = jobs().headers["ETag"]
    assert jobs(headers={"If-None-Match": header.format(etag=etag)}).status == 304


def test_a_stale_or_foreign_etag_gets_the_full_answer(repo: JobsRepository) -> None:
    enqueue(repo, 1)
    reply = jobs(headers={"If-None-Match": '"0123456789abcdef"'})
    assert reply.status == 200 and reply.body["ok"] is True and len(reply.body["jobs"]) == 1


def test_unauthenticated_polls_get_401_not_304(repo: JobsRepository) -> None:
    from tests.api.conftest import call

    enqueue(repo, 1)
    etag = jobs().headers["ETag"]
    reply = call("admin_jobs", params={}, headers={"If-None-Match": etag})
    assert reply.status == 401 and "ETag" not in reply.headers


def test_a_job_detail_answers_304_until_the_job_changes(repo: JobsRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    """Details polls its job while it is open; the seconds growing with the clock do not count as a change."""
    job_id = enqueue(repo, 1)[0]
    first = jobs(params={"job_id": job_id})
    etag = first.headers["ETag"]
    later = utc_now() + timedelta(minutes=5)
    monkeypatch.setattr(jobs_api, "utc_now", lambda: later)
    again = jobs(params={"job_id": job_id}, headers={"If-None-Match": etag})
    assert again.status == 304 and again.body is None

    repo.cancel(job_id, "canceled by test", utc_now())
    changed = jobs(params={"job_id": job_id}, headers={"If-None-Match": etag})
    assert changed.status == 200 and changed.body["job"]["status"] == "canceled"
    assert changed.headers["ETag"] != etag
