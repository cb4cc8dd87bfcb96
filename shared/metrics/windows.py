"""The time window a metrics request covers: a range (24h, 7d, 30d) cut into hour or day buckets.

Buckets are aligned to UTC hours or days and the last one holds now, so a chart's right edge is the
current (partial) hour or day and every earlier bucket is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

RANGES: dict[str, timedelta] = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
HOUR = 3600
BUCKETS: dict[str, int] = {"hour": HOUR, "day": 24 * HOUR}
DEFAULT_BUCKET: dict[str, str] = {"24h": "hour", "7d": "day", "30d": "day"}


class InvalidWindow(ValueError):
    pass


@dataclass(frozen=True)
class Window:
    range: str
    bucket: str
    bucket_seconds: int
    since: datetime  # inclusive, the first bucket's start
    until: datetime  # exclusive, the last bucket's end

    @property
    def first_bucket(self) -> int:
        """The bucket number of `since`: whole bucket lengths since the Unix epoch, as the SQL computes it."""
        return int(self.since.timestamp()) // self.bucket_seconds

    @property
    def count(self) -> int:
        return int((self.until - self.since).total_seconds()) // self.bucket_seconds

    @property
    def hours(self) -> dict[str, int]:
        """The window as the hourly rollups key it: hours since the Unix epoch, and hours per bucket."""
        return {
            "since_hour": int(self.since.timestamp()) // HOUR,
            "until_hour": int(self.until.timestamp()) // HOUR,
            "bucket_hours": self.bucket_seconds // HOUR,
        }

    def starts(self) -> list[datetime]:
        return [self.since + timedelta(seconds=self.bucket_seconds * index) for index in range(self.count)]

    def position(self, bucket_number: int) -> int | None:
        """Where a bucket number from the SQL lands in `starts()`; None outside the window."""
        index = bucket_number - self.first_bucket
        return index if 0 <= index < self.count else None


def make_window(range_name: str, bucket_name: str | None, now: datetime) -> Window:
    if range_name not in RANGES:
        raise InvalidWindow(f"'range' must be one of: {', '.join(RANGES)}")
    bucket_name = bucket_name or DEFAULT_BUCKET[range_name]
    if bucket_name not in BUCKETS:
        raise InvalidWindow(f"'bucket' must be one of: {', '.join(BUCKETS)}")
    bucket_seconds = BUCKETS[bucket_name]
    # A range no longer than one bucket (24h by day) still shows the bucket before the current one,
    # so that the whole range is covered: yesterday and today.
    span = max(int(RANGES[range_name].total_seconds()), 2 * bucket_seconds)
    epoch_seconds = int(now.astimezone(UTC).timestamp())
    until = datetime.fromtimestamp((epoch_seconds // bucket_seconds + 1) * bucket_seconds, UTC)
    return Window(range_name, bucket_name, bucket_seconds, until - timedelta(seconds=span), until)
