"""Is a state-changing call from this site? The Origin a browser sends, against the request's own (CSRF).

An origin is a scheme, a host and a port (RFC 6454 §4), and all three must match: a page served over
plain http, or from another port of the same machine, is another site. The request's own origin is
the URL the app was called at. X-Forwarded-Host and X-Forwarded-Proto, which any client can send,
count only when TRUSTED_PROXY says a proxy in front of the app sets them and strips clients' copies;
then the last value, the one the nearest proxy wrote, is used. Behind a proxy that does not, list the
site's origin in ALLOWED_ORIGINS instead.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import azure.functions as func

from shared.http.authority import parse_authority
from shared.http.responses import ApiError

DEFAULT_PORTS = {"http": 80, "https": 443}
_ORIGIN = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)")


def parse_origin(text: str) -> str | None:
    """An Origin header or an ALLOWED_ORIGINS entry (`scheme://host[:port]` and nothing more) in one
    spelling, `scheme://host:port`; None when it is not one (such as `null`, an opaque origin)."""
    found = _ORIGIN.fullmatch(text.strip())
    return None if found is None else _origin(found[1], found[2])


def request_origin(req: func.HttpRequest, trust_forwarded: bool) -> str | None:
    url = urlsplit(req.url)
    scheme, authority = url.scheme, url.netloc
    if trust_forwarded:
        scheme = _nearest(req.headers.get("x-forwarded-proto")) or scheme
        authority = _nearest(req.headers.get("x-forwarded-host")) or authority
    return _origin(scheme, authority)


def check_same_origin(req: func.HttpRequest, allowed_origins: tuple[str, ...], trust_forwarded: bool) -> None:
    """Refuse a cross-site request: a sent Origin must be this request's own or an allowed one."""
    origin = req.headers.get("origin")
    if origin is None:
        return  # not from a browser's cross-site request: browsers send Origin on every cross-site POST
    accepted = {parse_origin(allowed) for allowed in allowed_origins} | {request_origin(req, trust_forwarded)}
    sent = parse_origin(origin)
    if sent is None or sent not in accepted:
        raise ApiError(403, "cross_origin", "Cross-origin requests are not allowed")


def _origin(scheme: str, authority: str) -> str | None:
    scheme = scheme.lower()
    parsed = parse_authority(authority) if scheme in DEFAULT_PORTS else None
    if parsed is None:
        return None
    host, port = parsed
    return f"{scheme}://{host}:{DEFAULT_PORTS[scheme] if port is None else port}"


def _nearest(value: str | None) -> str | None:
    return value.rsplit(",", 1)[-1].strip() if value else None
