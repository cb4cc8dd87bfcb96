"""Local mode: trusted only inside the local host, and only for a loopback client speaking for itself.

The local host calls `enable()` at start-up and stamps each request with the peer address in
`CLIENT_ADDR_HEADER`, after dropping any copy the client sent. Azure never calls `enable()`, so a
forged header there is ignored.

A loopback peer that carries a forwarding header is a proxy, tunnel or port forwarder (an editor's
port forwarding, ngrok, an SSH or dev tunnel) relaying someone else, whose address it may or may not
name; that request is not local, whatever the header says. (The local host also answers only to
loopback Host names in local mode, see local_host/host_names.py.)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

CLIENT_ADDR_HEADER = "x-localhost-client-addr"
# What proxies add about the client they relay: RFC 7239's Forwarded, RFC 9110's Via, and the de facto forms.
FORWARDING_HEADERS = frozenset(
    {
        "forwarded",
        "via",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-real-ip",
        "x-client-ip",
        "true-client-ip",
        "cf-connecting-ip",
    }
)
_enabled = False


def enable() -> None:
    global _enabled
    _enabled = True


def is_local_caller(client_addr: str | None, header_names: Iterable[str]) -> bool:
    """In the local host, from a loopback peer, and not relayed for anyone else."""
    return _enabled and is_loopback(client_addr) and FORWARDING_HEADERS.isdisjoint(name.lower() for name in header_names)


def is_loopback(address: str | None) -> bool:
    if not address:
        return False
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False
