"""Model prices (MODEL_PRICES) and what a job's tokens cost at them.

Prices are per 1M tokens, input and output apart, in whatever currency the admin writes them in
(the README says USD). The setting is JSON so an admin can paste a provider's price table as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.jobs.models import Snapshot

PER_TOKENS = 1_000_000
_EXAMPLE = '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}'


@dataclass(frozen=True)
class ModelPrice:
    input: float  # per 1M prompt tokens
    output: float  # per 1M completion tokens

    def cost(self, prompt_tokens: int | None, completion_tokens: int | None) -> float:
        return ((prompt_tokens or 0) * self.input + (completion_tokens or 0) * self.output) / PER_TOKENS


# A tuple of pairs rather than a dict: Settings is hashed (generators are cached per settings).
ModelPrices = tuple[tuple[str, ModelPrice], ...]


def parse_model_prices(value: str) -> ModelPrices:
    text = value.strip() or "{}"
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError(f"must be a JSON object such as {_EXAMPLE}") from None
    if not isinstance(data, dict):
        raise ValueError(f"must be a JSON object such as {_EXAMPLE}")
    prices: list[tuple[str, ModelPrice]] = []
    for model, price in data.items():
        if not model.strip():
            raise ValueError("model names must not be empty")
        if not isinstance(price, dict) or set(price) != {"input", "output"}:
            raise ValueError(f"{model!r} needs exactly 'input' and 'output' prices per 1M tokens, e.g. {_EXAMPLE}")
        amounts = [price["input"], price["output"]]
        if not all(isinstance(amount, int | float) and not isinstance(amount, bool) and 0 <= amount <= 1_000_000 for amount in amounts):
            raise ValueError(f"{model!r} prices must be numbers from 0 to 1000000 per 1M tokens")
        prices.append((model.strip(), ModelPrice(float(amounts[0]), float(amounts[1]))))
    return tuple(sorted(prices))


def price_for(prices: ModelPrices, model: str | None) -> ModelPrice | None:
    """The price of `model`: an exact name, else the longest priced name it extends with `-`.

    Providers answer with dated names (gpt-4o-mini-2024-07-18) while price lists use the family name.
    """
    if not model:
        return None
    best: tuple[str, ModelPrice] | None = None
    for name, price in prices:
        if name == model:
            return price
        if model.startswith(name + "-") and (best is None or len(name) > len(best[0])):
            best = (name, price)
    return best[1] if best else None


def cost_of(prices: ModelPrices, model: str | None, prompt_tokens: int | None, completion_tokens: int | None) -> float | None:
    """The cost of one job's tokens, or None when the model has no price or no tokens were recorded."""
    price = price_for(prices, model)
    if price is None or (prompt_tokens is None and completion_tokens is None):
        return None
    return round(price.cost(prompt_tokens, completion_tokens), 6)


def snapshot_cost(prices: ModelPrices, snapshot: Snapshot) -> float | None:
    return cost_of(prices, snapshot.gen_model, snapshot.prompt_tokens, snapshot.completion_tokens)
