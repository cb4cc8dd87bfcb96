"""Keeping secrets out of reasons, error details and logs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from shared.config import SETTINGS, Settings

MAX_REASON_CHARS = 300
_MASK = "***"
_PATTERNS = (
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*"), r"\1 " + _MASK),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), _MASK),  # a JWT
    (re.compile(r"\bsk-[A-Za-z0-9_-]{12,}"), "sk-" + _MASK),
    (
        re.compile(r"(?i)\b(api[-_]?key|access[-_]?token|token|secret|password|pwd|sig|signature)([\"']?\s*[=:]\s*[\"']?)[^\s\"',;&}]+"),
        r"\1\2" + _MASK,
    ),
)


def secret_values(settings: Settings) -> list[str]:
    """The values of every setting marked secret, longest first so no prefix is left behind."""
    values = [str(getattr(settings, s.name.lower())) for s in SETTINGS if s.secret]
    return sorted((value for value in values if len(value) >= 6), key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, _MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def one_line(text: str, secrets: Iterable[str] = ()) -> str:
    """A reason: one line, no secrets, short enough to read in a table cell."""
    flat = " ".join(redact(text, secrets).split())
    return flat if len(flat) <= MAX_REASON_CHARS else flat[: MAX_REASON_CHARS - 1] + "…"
