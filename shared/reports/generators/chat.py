"""Chat-completions generators: Azure OpenAI and any OpenAI-compatible endpoint, through the openai SDK.

The SDK's own retries are off (max_retries=0): the worker retries at the job level, where each
attempt is counted, the lease is renewed, a cancel is noticed and the backoff honours retry-after.
"""

from __future__ import annotations

from typing import Any

import openai
from openai.types.shared_params import ResponseFormatJSONSchema

from shared.config import Settings
from shared.reports.errors import ContentFiltered, InvalidReport, ModelRefused
from shared.reports.facts import ReportFacts
from shared.reports.generators import Generation
from shared.reports.prompt import Message
from shared.reports.prompt_version import SCHEMA_HASH
from shared.reports.rate_limits import RATE_LIMIT_HEADER_PREFIX
from shared.reports.schema import REPORT_SCHEMA, SCHEMA_NAME

AZURE_TOKEN_SCOPE = "https://cognitiveservices.azure.com/.default"  # noqa: S105 - an OAuth scope, not a secret
RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": REPORT_SCHEMA},
}


def azure_client(settings: Settings) -> openai.AzureOpenAI:
    common: dict[str, Any] = {
        "azure_endpoint": settings.azure_openai_endpoint,
        "api_version": settings.azure_openai_api_version,
        "timeout": settings.model_timeout_seconds,
        "max_retries": 0,
    }
    if settings.azure_openai_api_key:
        return openai.AzureOpenAI(api_key=settings.azure_openai_api_key, **common)
    from azure.identity import DefaultAzureCredential, get_bearer_token_provider

    provider = get_bearer_token_provider(DefaultAzureCredential(), AZURE_TOKEN_SCOPE)
    return openai.AzureOpenAI(azure_ad_token_provider=provider, **common)


def openai_client(settings: Settings) -> openai.OpenAI:
    # Self-hosted servers often need no key, but the SDK insists on one.
    return openai.OpenAI(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key or "not-needed",
        timeout=settings.model_timeout_seconds,
        max_retries=0,
    )


class ChatGenerator:
    def __init__(self, client: openai.OpenAI, model: str, timeout_seconds: float, kind: str) -> None:
        self.client = client
        self.model = model  # the deployment name on Azure
        self.timeout_seconds = timeout_seconds
        self.kind = kind
        # No temperature is sent: the endpoint's default applies, and the trace says so.
        self.parameters: dict[str, Any] = {
            "temperature": None,
            "response_format": {"type": "json_schema", "name": SCHEMA_NAME, "strict": True},
            "schema_hash": SCHEMA_HASH,
            "timeout_seconds": timeout_seconds,
        }

    def generate(self, facts: ReportFacts, messages: list[Message]) -> Generation:
        raw = self.client.chat.completions.with_raw_response.create(
            model=self.model,
            messages=messages,
            response_format=RESPONSE_FORMAT,
        )
        completion = raw.parse()
        if not completion.choices:
            raise InvalidReport("the model returned no answer")
        choice = completion.choices[0]
        if choice.finish_reason == "content_filter":
            raise ContentFiltered("the model's answer was blocked by the content filter")
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise ModelRefused(f"the model refused: {' '.join(str(refusal).split())[:200]}")
        text = choice.message.content or ""
        if choice.finish_reason == "length":
            raise InvalidReport("the output was cut off at the model's token limit", output=text)
        usage = completion.usage
        return Generation(
            text=text,
            model=completion.model or self.model,
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
            finish_reason=choice.finish_reason,
            request_id=completion._request_id,
            rate_limit_headers={name.lower(): value for name, value in raw.headers.items() if name.lower().startswith(RATE_LIMIT_HEADER_PREFIX)},
        )
