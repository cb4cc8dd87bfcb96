"""MODEL_PRICES: validated at start-up, matched to the names providers answer with, priced per 1M tokens."""

from __future__ import annotations

import pytest

from shared.config import Settings, SettingsError
from shared.metrics.prices import ModelPrice, cost_of, parse_model_prices, price_for


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("gpt-4o: 1", "must be a JSON object"),
        ('["gpt-4o"]', "must be a JSON object"),
        ('{"gpt-4o": {"input": 1}}', "needs exactly 'input' and 'output'"),
        ('{"gpt-4o": {"input": -1, "output": 2}}', "from 0 to 1000000"),
        ('{"gpt-4o": {"input": "1", "output": 2}}', "from 0 to 1000000"),
        ('{"gpt-4o": {"input": true, "output": 2}}', "from 0 to 1000000"),
        ('{" ": {"input": 1, "output": 2}}', "must not be empty"),
    ],
)
def test_a_bad_price_list_names_the_setting(value: str, says: str) -> None:
    with pytest.raises(SettingsError, match=f"MODEL_PRICES.*{says}"):
        Settings.from_env({"MODEL_PRICES": value})


def test_dated_names_take_the_longest_matching_family_price() -> None:
    prices = parse_model_prices('{"gpt-4o": {"input": 2.5, "output": 10}, "gpt-4o-mini": {"input": 0.15, "output": 0.6}}')
    assert price_for(prices, "gpt-4o-mini-2024-07-18") == ModelPrice(0.15, 0.6)
    assert price_for(prices, "gpt-4o-2024-08-06") == ModelPrice(2.5, 10)
    assert price_for(prices, "gpt-4o") == ModelPrice(2.5, 10)
    assert price_for(prices, "gpt-4omni") is None and price_for(prices, None) is None


def test_cost_is_per_million_tokens_and_unknown_without_tokens_or_price() -> None:
    prices = parse_model_prices('{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}')
    assert cost_of(prices, "gpt-4o-mini", 2_000, 500) == pytest.approx(0.0006)
    assert cost_of(prices, "gpt-4o-mini", None, None) is None
    assert cost_of(prices, "other", 2_000, 500) is None
    assert parse_model_prices("") == ()
