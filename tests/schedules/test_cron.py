"""Cron expressions: five fields only, clear errors, and the two instants the scheduler needs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.schedules.cron import InvalidCron, latest_at_or_before, next_after, parse_cron

MONDAY_6 = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)


def test_valid_expressions_are_single_spaced() -> None:
    assert parse_cron("  0  6 * *   1 ") == "0 6 * * 1"
    assert parse_cron("0 6 1 * *") == "0 6 1 * *"
    assert parse_cron("*/15 0-5 * 1,7 mon-fri") == "*/15 0-5 * 1,7 mon-fri"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 6 * *", "must have 5 fields"),
        ("0 0 6 * * 1", "must have 5 fields"),  # six fields: seconds are NCRONTAB's, not standard cron
        ("@weekly", "must have 5 fields"),
        ("61 6 * * 1", "is not a valid cron expression"),
        ("0 6 * * funday", "is not a valid cron expression"),
        ("*/0 * * * *", "is not a valid cron expression"),
        ("0 0 30 2 *", "never matches a date"),
        ("", "must be a cron expression"),
        (6, "must be a cron expression"),
        ("0 6 * * 1" + " " * 100, "must be a cron expression of at most 100"),
    ],
)
def test_bad_expressions_say_what_is_wrong(expression: object, message: str) -> None:
    with pytest.raises(InvalidCron, match=message):
        parse_cron(expression)


def test_an_occurrence_exactly_now_is_due_and_the_next_one_is_after_it() -> None:
    assert latest_at_or_before("0 6 * * 1", MONDAY_6) == MONDAY_6
    assert latest_at_or_before("0 6 * * 1", MONDAY_6.replace(second=59, microsecond=999_000)) == MONDAY_6
    assert latest_at_or_before("0 6 * * 1", MONDAY_6.replace(hour=5, minute=59, second=59)) == datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert next_after("0 6 * * 1", MONDAY_6) == datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
