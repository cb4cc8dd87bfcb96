"""The prompt's version: a name and a content hash of everything that shapes what the model is asked.

The hash covers the system prompt, the source of the functions that build the user message and the
repair request, the row cap and the report schema, so any change to one of them is a new version
without anyone remembering to bump a number. Each snapshot and each model call records it, and the
model comparison groups by it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from typing import Any

from shared.reports import prompt
from shared.reports.schema import REPORT_SCHEMA, SCHEMA_NAME

PROMPT_NAME = "exec-report"
HASH_CHARS = 12


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_CHARS]


def schema_hash(schema: dict[str, Any] = REPORT_SCHEMA) -> str:
    """The report schema's hash, key order ignored: the same schema always hashes the same."""
    return _digest(json.dumps(schema, sort_keys=True, separators=(",", ":")))


def _prompt_content() -> str:
    parts = [
        prompt.SYSTEM_PROMPT,
        inspect.getsource(prompt.build_messages),
        inspect.getsource(prompt.correction_messages),
        str(prompt.MAX_PROMPT_ROWS),
        SCHEMA_NAME,
        schema_hash(),
    ]
    return "\n\x1e".join(parts)


PROMPT_VERSION = f"{PROMPT_NAME}@{_digest(_prompt_content())}"
SCHEMA_HASH = schema_hash()
