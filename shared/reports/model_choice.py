"""MODEL_CHOICES: the generators and models a report may be re-run with, as `generator:model` entries.

`azure_openai:gpt-4o` is a deployment of AZURE_OPENAI_ENDPOINT, `openai:llama3.1:8b` a model of
OPENAI_BASE_URL (a model name may hold colons; only the first one separates), `offline` the
deterministic summary. The endpoint, key and timeout stay those of the main settings, so a choice
never carries a secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GENERATORS = ("offline", "azure_openai", "openai")
MAX_CHOICES = 20
_MODEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$")


@dataclass(frozen=True)
class ModelChoice:
    generator: str
    model: str  # "" for offline

    @property
    def key(self) -> str:
        """How the API, the page and the job's record name this choice."""
        return f"{self.generator}:{self.model}" if self.model else self.generator


def parse_choice(text: str) -> ModelChoice:
    generator, _, model = text.strip().partition(":")
    if generator not in GENERATORS:
        raise ValueError(f"{text.strip()!r} must start with one of {', '.join(GENERATORS)}")
    if generator == "offline":
        if model:
            raise ValueError("'offline' takes no model")
        return ModelChoice("offline", "")
    if not _MODEL.match(model):
        raise ValueError(f"{text.strip()!r} needs a model or deployment name after '{generator}:' (letters, digits and ._:/@+-)")
    return ModelChoice(generator, model)


def parse_model_choices(value: str) -> tuple[ModelChoice, ...]:
    """Comma-separated entries, e.g. `azure_openai:gpt-4o-mini,azure_openai:gpt-4o,offline`."""
    choices = tuple(parse_choice(part) for part in value.split(",") if part.strip())
    if len(choices) > MAX_CHOICES:
        raise ValueError(f"must list at most {MAX_CHOICES} choices")
    keys = [choice.key for choice in choices]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"lists {', '.join(duplicates)} more than once")
    return choices
