"""A binding's `%SETTING%` reference, resolved as the Functions host does: from the app settings
(the environment), or the setting's declared default in shared/config.py."""

from __future__ import annotations

import os
import re

from shared.config import setting

_SETTING_REFERENCE = re.compile(r"^%([A-Za-z_][A-Za-z0-9_]*)%$")


class UnresolvedSetting(ValueError):
    """The reference names a setting that is not set and has no default; the message names both."""


def resolve_reference(value: str, where: str) -> str:
    reference = _SETTING_REFERENCE.match(value.strip())
    if reference is None:
        return value
    name = reference[1]
    resolved = os.environ.get(name) or _declared_default(name)
    if not resolved:
        raise UnresolvedSetting(f"{where}: it reads %{name}% but the app setting {name} is not set")
    return resolved.strip()


def _declared_default(name: str) -> str:
    try:
        return setting(name).default
    except KeyError:
        return ""
