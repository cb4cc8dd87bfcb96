"""Search and filters over jobs: one text box (job id prefix; 3+ characters of scope key,
created_by, reason or stack trace), status, scope type and a created-at range.

Totals stop counting at COUNT_CAP ("1,000+"): an exact count of a broad match over millions of
rows would cost more than the page itself. The plan is picked per request (see search_* in
queries.sql): a q the text index can answer (3+ characters) walks that index in created order, so
a search costs what its page and the capped count cost however many jobs match; a shorter q (a job
id prefix) or none walks the newest-first index, of one status when the filter names it. So does a
q with a status that few jobs have (queued, running): testing each of them against the text index
costs less than walking the text matches until enough of them have that status.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shared.db import Database
from shared.jobs.models import Job

COUNT_CAP = 1000
TRIGRAM = 3  # the text index holds substrings of this many characters; a shorter q matches no text
# One probe of the text index by key costs about as much as this many steps of its newest-first
# walk (each step a row lookup), measured on the 1M-job bench database.
PROBE_COST = 12
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class JobFilter:
    status: str | None = None
    q: str | None = None
    scope_type: str | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive

    @property
    def is_search(self) -> bool:
        """True when it asks more than the plain status list can answer."""
        return any(value is not None for value in (self.q, self.scope_type, self.created_from, self.created_to))

    def describe(self) -> str:
        parts = [
            f"{name}={value}"
            for name, value in (
                ("status", self.status),
                ("q", self.q),
                ("scope_type", self.scope_type),
                ("from", self.created_from and self.created_from.isoformat()),
                ("to", self.created_to and self.created_to.isoformat()),
            )
            if value
        ]
        return "filter " + (" ".join(parts) if parts else "(all jobs)")


@dataclass(frozen=True)
class SearchPage:
    jobs: list[Job]
    total: int
    capped: bool  # True: at least `total` jobs match, maybe more


class JobSearch:
    def __init__(self, db: Database) -> None:
        self.db = db

    def page(self, where: JobFilter, page: int, limit: int) -> SearchPage:
        plan = self._plan(where)
        params = self._params(where) | {"cap": COUNT_CAP + 1}
        offset = (page - 1) * limit
        row = self.db.fetch_one(f"search_count_by_{plan}", params)
        matched = int(row["n"]) if row else 0
        rows = self.db.fetch_all(f"search_jobs_by_{plan}", params | {"offset": offset, "limit": limit, "need": offset + limit})
        return SearchPage([Job.from_row(r) for r in rows], min(matched, COUNT_CAP), matched > COUNT_CAP)

    def iterate(self, where: JobFilter, cap: int, chunk: int = 1000) -> Iterator[Job]:
        """Up to `cap` matching jobs, newest first, in keyset chunks (export, bulk actions)."""
        plan = self._plan(where)
        params = self._params(where) | {"offset": 0}
        left = cap
        while left > 0:
            take = min(chunk, left)
            jobs = [Job.from_row(r) for r in self.db.fetch_all(f"search_jobs_by_{plan}", params | {"limit": take, "need": take})]
            yield from jobs
            if len(jobs) < take:
                return
            left -= len(jobs)
            params |= {"before_at": jobs[-1].created_at, "before_id": jobs[-1].job_id}

    def _plan(self, where: JobFilter) -> str:
        if where.q is not None and len(where.q) >= TRIGRAM and not (where.status and self._few(where.status)):
            return "key"
        return "status" if where.status else "time"

    def _few(self, status: str) -> bool:
        """True when probing each job of `status` costs less than walking the text matches until
        COUNT_CAP of them have it: about cap * total / n steps for a common q, n probes here."""
        counts = {row["status"]: int(row["n"]) for row in self.db.fetch_all("job_counts")}
        n = counts.get(status, 0)
        return n * n * PROBE_COST <= COUNT_CAP * sum(counts.values())

    @staticmethod
    def _params(where: JobFilter) -> dict[str, Any]:
        return {
            "status": where.status,
            "q": where.q,
            "scope_type": where.scope_type,
            "created_from": where.created_from or _EARLIEST,
            "created_to": where.created_to or _LATEST,
            "before_at": _LATEST,
            "before_id": "",
        }
