"""When the worker timer fires, from its NCRONTAB schedule (WORKER_SCHEDULE), in UTC as Azure runs it.

NCRONTAB has six fields with seconds first; croniter reads a sixth field as seconds at the end
unless told `second_at_beginning`, which is what makes "0 */2 * * * *" every two minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from croniter import croniter


class InvalidSchedule(ValueError):
    pass


def _cron(expression: str, start: datetime) -> croniter:
    if len(expression.split()) != 6:
        raise InvalidSchedule(f"{expression!r} is not an NCRONTAB expression with six fields, seconds first")
    try:
        return croniter(expression, start, second_at_beginning=True)
    except (ValueError, KeyError) as err:
        raise InvalidSchedule(f"{expression!r} is not a valid NCRONTAB expression: {err}") from None


def next_run(expression: str, now: datetime) -> datetime:
    """The first firing strictly after `now`."""
    return _cron(expression, now).get_next(datetime)


def latest_run(expression: str, now: datetime) -> datetime:
    """The last firing at or before `now`."""
    return _cron(expression, now + timedelta(microseconds=1)).get_prev(datetime)
