"""The generator for a MODEL_CHOICES entry, and the list the page offers for a re-run."""

from __future__ import annotations

from functools import lru_cache

import openai

from shared.config import Settings
from shared.reports.generators import Generator, generator_for
from shared.reports.model_choice import ModelChoice


def default_choice(settings: Settings) -> ModelChoice:
    """What REPORT_GENERATOR and its model setting name, as a choice."""
    model = {"azure_openai": settings.azure_openai_deployment, "openai": settings.openai_model}.get(settings.report_generator, "")
    return ModelChoice(settings.report_generator, model)


def available_choices(settings: Settings) -> tuple[ModelChoice, ...]:
    """MODEL_CHOICES, or the configured generator alone when none are listed."""
    return settings.model_choices or (default_choice(settings),)


@lru_cache(maxsize=4)
def _client(settings: Settings, generator: str) -> openai.OpenAI:
    # One client (one HTTP pool, one token cache) per endpoint, shared by all its models.
    from shared.reports.generators.chat import azure_client, openai_client

    return azure_client(settings) if generator == "azure_openai" else openai_client(settings)


@lru_cache(maxsize=32)
def generator_for_choice(settings: Settings, choice: ModelChoice | None) -> Generator:
    """The configured generator for None or the default choice, else one for the chosen model."""
    if choice is None or choice == default_choice(settings):
        return generator_for(settings)
    if choice.generator == "offline":
        from shared.reports.generators.offline import OfflineGenerator

        return OfflineGenerator()
    from shared.reports.generators.chat import ChatGenerator

    return ChatGenerator(_client(settings, choice.generator), choice.model, settings.model_timeout_seconds, choice.generator)


def longest_call_seconds(settings: Settings, default: Generator) -> float:
    """The longest one call of a pass may take: a re-run may use a model while the default is offline."""
    chosen = settings.model_timeout_seconds if any(choice.generator != "offline" for choice in settings.model_choices) else 0.0
    return max(default.timeout_seconds, chosen)
