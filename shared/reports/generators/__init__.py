"""Report generators, chosen by REPORT_GENERATOR: offline (no model), Azure OpenAI, or any OpenAI-compatible endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from shared.config import Settings
from shared.reports.facts import ReportFacts
from shared.reports.prompt import Message


@dataclass(frozen=True)
class Generation:
    text: str  # the report JSON as written, not yet validated
    model: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    request_id: str | None = None  # the endpoint's id for the request, to quote to its support
    rate_limit_headers: dict[str, str] = field(default_factory=dict)  # the reply's x-ratelimit-*: the budget left


class Generator(Protocol):
    kind: str  # offline | azure_openai | openai: how a model call's trace names where it went
    model: str  # the model asked for (the deployment on Azure)
    parameters: dict[str, Any]  # what each call sends besides the messages, as its trace shows it
    # The longest one call may take; 0 when it makes no network call. The worker will not start a
    # call it cannot finish before its pass must end.
    timeout_seconds: float

    def generate(self, facts: ReportFacts, messages: list[Message]) -> Generation: ...


@lru_cache(maxsize=4)
def generator_for(settings: Settings) -> Generator:
    """One generator per settings, reused across passes: it holds the HTTP pool and cached tokens."""
    if settings.report_generator == "azure_openai":
        from shared.reports.generators.chat import ChatGenerator, azure_client

        return ChatGenerator(azure_client(settings), settings.azure_openai_deployment, settings.model_timeout_seconds, "azure_openai")
    if settings.report_generator == "openai":
        from shared.reports.generators.chat import ChatGenerator, openai_client

        return ChatGenerator(openai_client(settings), settings.openai_model, settings.model_timeout_seconds, "openai")
    from shared.reports.generators.offline import OfflineGenerator

    return OfflineGenerator()
