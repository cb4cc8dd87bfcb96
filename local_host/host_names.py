"""The Host names the local host answers to while it vouches for its callers (DNS rebinding).

In local mode a loopback caller is the admin, and in platform mode the host trusts a principal header
that nothing in front of it strips. A web page whose own name an attacker points at 127.0.0.1 (DNS
rebinding) is a loopback caller too, and same-origin with itself, so it could read the jobs and, its
Origin matching its Host, change them. Such a page can only send its own name as Host, so in these
modes the host answers only to this machine's loopback names and to those in LOCAL_ALLOWED_HOSTS;
any other name gets 421 Misdirected Request (RFC 9110 §15.5.20). Token mode vouches for no one.
"""

from __future__ import annotations

from shared.config import Settings
from shared.http.authority import LOOPBACK_NAMES, parse_authority

VOUCHING_MODES = frozenset({"local", "platform"})


def answered_names(settings: Settings) -> frozenset[str] | None:
    """The Host names to answer to, or None for any name."""
    if not VOUCHING_MODES & set(settings.auth_mode):
        return None
    return frozenset((*LOOPBACK_NAMES, *settings.local_allowed_hosts))


def misdirected(host_header: str | None, names: frozenset[str] | None) -> str | None:
    """Why a request with this Host is not for this host, or None. No Host (HTTP/1.0) means this host:
    every browser sends one."""
    if names is None or host_header is None:
        return None
    parsed = parse_authority(host_header.strip())
    if parsed is not None and parsed[0] in names:
        return None
    return (
        f"This local host answers only to {', '.join(sorted(names))}; it does not serve "
        f"{host_header.strip()!r}. If that name is this machine's, add it to LOCAL_ALLOWED_HOSTS."
    )
