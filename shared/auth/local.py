"""Local mode: trusted only inside the local host, and only for loopback clients.

The local host calls `enable()` at start-up and stamps each request with the peer address in
`CLIENT_ADDR_HEADER`, after dropping any copy the client sent. Azure never calls `enable()`, so a
forged header there is ignored.
"""

from __future__ import annotations

import ipaddress

CLIENT_ADDR_HEADER = "x-localhost-client-addr"
_enabled = False


def enable() -> None:
    global _enabled
    _enabled = True


def is_enabled() -> bool:
    return _enabled


def is_loopback(address: str | None) -> bool:
    if not address:
        return False
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False
