"""Host names and ports as a Host header or a URL spells them (RFC 3986 §3.2.2, RFC 9110 §7.2).

One parser for every place that compares them (the local host's Host check, the same-origin check,
the settings that name hosts), so two spellings of one host compare equal and nothing else does:
names are lower-cased, an IPv6 address keeps its brackets, and anything malformed is refused.
"""

from __future__ import annotations

import ipaddress
import re

_AUTHORITY = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]@/\s]+)(?::([0-9]{1,5}))?")
# DNS labels (letters, digits, hyphens; underscores as container and NetBIOS names use them), dot-separated,
# with the root's trailing dot allowed (`localhost.` is another name, so it compares unequal to `localhost`).
_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?")
MAX_NAME_LENGTH = 253
# The names of this machine's loopback interface that no one else's DNS can answer for.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def parse_authority(text: str) -> tuple[str, int | None] | None:
    """The host and port of `host[:port]`, or None when it is not a well-formed one."""
    found = _AUTHORITY.fullmatch(text)
    if found is None:
        return None
    host, port = found[1].lower(), found[2]
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
    elif len(host) > MAX_NAME_LENGTH or not _NAME.fullmatch(host):
        return None
    if port is not None and not 0 < int(port) <= 65535:
        return None
    return host, None if port is None else int(port)
