"""The committed job states notifications are made from: failed jobs, and finished counts."""

from __future__ import annotations

from datetime import datetime

from shared.clock import as_utc
from shared.db import Database
from shared.notify.notices import FailedJob


class JobFeedRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def failed_since(self, since: datetime, after_job_id: str, limit: int) -> list[tuple[datetime, FailedJob]]:
        """Jobs failed after (since, after_job_id), oldest first, each with its finished_at."""
        rows = self.db.fetch_all("notify_failed_jobs_since", {"since": since, "after_job_id": after_job_id, "limit": limit})
        return [(_finished_at(row["finished_at"]), FailedJob.from_row(row)) for row in rows]

    def finished_counts(self, since: datetime) -> tuple[int, int]:
        """(finished, failed) since `since`; canceled jobs count as neither."""
        counts = {row["status"]: int(row["n"]) for row in self.db.fetch_all("notify_finished_counts", {"since": since})}
        failed = counts.get("failed", 0)
        return counts.get("succeeded", 0) + failed, failed


def _finished_at(value: datetime | str) -> datetime:
    moment = as_utc(value)
    assert moment is not None  # the query filters on finished_at
    return moment
