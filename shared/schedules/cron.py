"""Standard five-field cron expressions (minute hour day-of-month month day-of-week), in UTC.

Parsing and matching are croniter's; this module only narrows it to five fields, turns its errors
into one message people can act on, and answers the two questions the scheduler asks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from croniter import CroniterBadDateError, CroniterError, croniter

MAX_LENGTH = 100
FIELDS = "minute hour day-of-month month day-of-week"


class InvalidCron(ValueError):
    pass


def parse_cron(expression: object) -> str:
    """The expression with its fields single-spaced, or InvalidCron saying what is wrong."""
    if not isinstance(expression, str) or not expression.strip() or len(expression) > MAX_LENGTH:
        raise InvalidCron(f"'cron' must be a cron expression of at most {MAX_LENGTH} characters, e.g. '0 6 * * 1'")
    fields = expression.split()
    if len(fields) != 5:
        raise InvalidCron(f"'cron' must have 5 fields ({FIELDS}), e.g. '0 6 * * 1'; got {len(fields)}")
    normal = " ".join(fields)
    try:
        croniter(normal, datetime(2000, 1, 1)).get_next(datetime)
    except CroniterBadDateError:
        raise InvalidCron(f"'cron' {normal!r} never matches a date") from None
    except (CroniterError, ValueError) as err:
        raise InvalidCron(f"'cron' {normal!r} is not a valid cron expression ({FIELDS}): {err}") from None
    return normal


def next_after(expression: str, moment: datetime) -> datetime:
    """The first occurrence strictly after `moment`."""
    return croniter(expression, moment).get_next(datetime)


def latest_at_or_before(expression: str, moment: datetime) -> datetime:
    """The most recent occurrence at or before `moment`: only it is run after downtime, once."""
    # Occurrences fall on whole minutes, and get_prev is strictly before its start.
    start = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return croniter(expression, start).get_prev(datetime)
