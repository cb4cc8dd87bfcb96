"""Each request rule and the schema the OpenAPI document prints for it agree on every sample value,
except where JSON Schema cannot say the rule, and those cases are listed here with the reason."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from shared.api import job_actions, rules, schedules
from shared.api.filters import FilterObject
from shared.api.openapi_spec import document
from shared.api.query import Param
from shared.http.responses import ApiError

EMOJI = "\N{GRINNING FACE}"
STRINGS = ["", " ", "a", "A1", "a b", "a\nb", "a\n", "\t", "x" * 64, "x" * 65, "x" * 200, "x" * 201, EMOJI * 150, "../etc", "<script>", "Zürich", "-a"]
SAMPLES: dict[str, tuple[rules.Rule, list[Any]]] = {
    "job_id": (rules.JOB_ID, [*STRINGS, "job:1.2_3-4", None, 12]),
    "scope_type": (rules.SCOPE_TYPE, [*STRINGS, "network", "x" * 50, "x" * 51, None]),
    "scope_key": (rules.SCOPE_KEY, [*STRINGS, " padded ", None, 5]),
    "search": (rules.SEARCH, [*STRINGS, "NET-"]),
    "status": (rules.STATUS, ["queued", "all", "lost", "", "QUEUED"]),
    "iso_week": (rules.ISO_WEEK, ["2026-W01", "2025-W53", "2020-W53", "2026-W54", "2026-W00", "2026-47", "0999-W01", "", None, 202601]),
    "month_key": (rules.MONTH_KEY, ["2026-01", "2026-12", "2026-13", "2026-00", "2026-1", "0999-01", "", None]),
    "cron": (rules.CRON, ["0 6 * * 1", "*/15 * * * *", "0 6 1,15 * *", "0 6 31 2 *", "0 6 * * MON", "0 6 * *", "61 * * * *", "", "0  6 * * 1"]),
    "whole": (rules.Whole(1, 200), ["1", "200", "0", "201", "-1", "1.5", "x"]),
    "boolean": (rules.Boolean(), [True, False, "true", 1, None]),
    "moment": (rules.Moment(), ["2026-01-31", "2026-01-31T09:00:00Z", "2026-01-31T09:00:00+02:00", "2026-01-31T09:00:00", "yesterday", "2026-02-30"]),
    "job_ids": (rules.ListOf(rules.JOB_ID, 3, "'{name}' must be a list of 1 to {longest} job ids"), [["a"], ["a", "b", "c"], [], ["a"] * 4, ["../etc"], "a"]),
    "filter": (FilterObject(), [{}, {"status": "failed", "q": "NET"}, {"status": "lost"}, {"colour": "red"}, {"to": None}, [], {"from": "2026-01-01"}]),
}
# Where the rule is stricter than JSON Schema can state (so the document says it in words), by (rule, repr(value)).
STRICTER = {
    ("scope_key", repr(EMOJI * 150)): "SQL Server counts an emoji as two UTF-16 units; maxLength counts one",
    ("search", repr(EMOJI * 150)): "as for scope_key",
    ("iso_week", repr("2025-W53")): "2025 has no week 53; JSON Schema cannot say which years do",
    ("cron", repr("0 6 31 2 *")): "31 February never occurs; croniter knows, a pattern cannot",
}
# Where the rule takes more than the schema shows (the document shows the one spelling clients should send).
LOOSER = {
    ("cron", repr("0 6 * * MON")): "croniter reads day names; the document shows numbers",
    ("cron", repr("0  6 * * 1")): "extra spaces are single-spaced before storing",
    ("iso_week", repr("0999-W01")): "a year before 1000 is a period, but no report is for one; the document shows years from 1000",
    ("month_key", repr("0999-01")): "as for iso_week",
}
# A query parameter is a string on the wire: its schema's integer is checked against the number.
QUERY_VALUE = {"whole"}


def accepted_by_rule(rule: rules.Rule, value: Any) -> bool:
    try:
        rule.parse(value, "field")
    except ApiError as err:
        assert err.status == 400
        return False
    return True


def valid_by_schema(schema: dict[str, Any], value: Any, as_query: bool) -> bool:
    if as_query and isinstance(value, str) and value.lstrip("-").isdigit():
        value = int(value)
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid(value)


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, (_, values) in SAMPLES.items() for value in values], ids=repr)
def test_a_rule_and_its_documented_schema_agree(name: str, value: Any) -> None:
    rule = SAMPLES[name][0]
    by_rule = accepted_by_rule(rule, value)
    by_schema = valid_by_schema(rule.schema(), value, name in QUERY_VALUE)
    if (name, repr(value)) in STRICTER:
        assert by_schema and not by_rule, f"{name}={value!r} is listed as stricter than the document, yet {by_rule=} {by_schema=}"
    elif (name, repr(value)) in LOOSER:
        assert by_rule and not by_schema, f"{name}={value!r} is listed as looser than the document, yet {by_rule=} {by_schema=}"
    else:
        assert by_rule == by_schema, (
            f"{name}={value!r}: the rule {'accepts' if by_rule else 'refuses'} it, the document {'allows' if by_schema else 'refuses'} it"
        )


def test_a_parameter_given_empty_is_not_given_in_the_handler_and_in_the_document() -> None:
    param = Param("limit", rules.Whole(1, 200), default=50)
    assert param.parse("") == 50 and param.parse(None) == 50
    assert jsonschema_rs.Draft202012Validator(param.schema()).is_valid("")


@pytest.mark.parametrize("table", [job_actions.ACTIONS, schedules.ACTIONS], ids=["jobs", "schedules"])
def test_the_document_takes_exactly_the_actions_of_each_table(table: Any) -> None:
    schemas = document()["components"]["schemas"]
    for action in table.actions:
        documented = schemas[action.schema_name]
        assert documented["properties"]["action"] == {"const": action.name}
        assert set(documented["properties"]) == {"action", *(item.name for item in action.fields)}
