"""Pages of the job list, newest first, that cost the same at page 10,000 as at page 1.

A page deep in a million jobs used to skip half a million index entries (OFFSET). Here the hourly
rollups (migration 0020, kept by the database in the same transaction as the jobs) say how many
jobs each UTC hour holds, per status, so the hour that holds the page's first row is found from a
few thousand rollup rows; the page is then read by seeking the (created_at, job_id) or (status,
created_at, job_id) index to that hour's edge and skipping only the rows inside the hour. Pages past
the middle are read from the old end the same way, so no read passes more than half the hours.

The seek is used only when every created_at has the stored form (so the hour's edge, a text bound on
SQLite, is exact, and every job is in the rollups); otherwise, and for shallow pages, the page is
read with OFFSET as before. Page numbers stay the API's
contract (SPEC); only the way a page is found changed.
"""

from __future__ import annotations

from typing import Any

from shared.db import Database, Transaction
from shared.jobs.models import Job

SEEK_FROM = 1_000  # rows to skip below which OFFSET over the index is as cheap as finding the hour


class JobPages:
    """Reads one page of all jobs or of one status; names only the list_jobs_* and page_* queries."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def read(self, status: str | None, offset: int, limit: int, total: int) -> list[Job]:
        """`limit` jobs from row `offset` of `total` (the counters' count for `status`)."""
        if offset >= total:
            return []
        if offset > total // 2:
            # From the old end: the last page costs the same as the first.
            take = min(limit, total - offset)
            rows = self.db.run(lambda tx: self._rows(tx, status, "oldest", total - offset - take, take), write=False)
            return [Job.from_row(row) for row in reversed(rows)]
        return [Job.from_row(row) for row in self.db.run(lambda tx: self._rows(tx, status, "newest", offset, limit), write=False)]

    def _rows(self, tx: Transaction, status: str | None, end: str, skip: int, take: int) -> list[dict[str, Any]]:
        query = f"list_jobs_{'by_status_' if status else ''}"
        params: dict[str, Any] = {"status": status, "limit": take}
        if skip >= SEEK_FROM:
            hour = tx.fetch_one(f"page_boundary_{end}", {"status": status, "skip": skip})
            if hour is not None and not _irregular(tx):
                return tx.fetch_all(f"{query}seek_{end}", params | {"epoch_hour": int(hour["epoch_hour"]), "offset": skip - int(hour["passed"])})
        return tx.fetch_all(f"{query}{end}", params | {"offset": skip})


def _irregular(tx: Transaction) -> bool:
    row = tx.fetch_one("page_irregular_times")
    return bool(row and int(row["n"]))
