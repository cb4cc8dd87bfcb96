"""Who the caller is to the static site's role rules, and the `/.auth/*` endpoints Static Web Apps provides.

Roles come from the same sources the API trusts: in local mode a loopback client that no proxy relays
is the local admin (anonymous, authenticated and the admin role(s)); with AUTH_MODE including platform, a valid
`x-ms-client-principal` adds its roles. Everyone else is anonymous.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from local_host.reply import Reply, html_page, redirect
from local_host.request import Request
from shared.auth import local
from shared.auth.principal import PRINCIPAL_HEADER, InvalidPrincipal, decode_principal
from shared.config import Settings

AUTH_PREFIX = "/.auth/"
DEFAULT_AFTER_LOGIN = "/admin/jobs"
# A URI reference is made of RFC 3986's unreserved and reserved characters and %HH escapes, nothing else:
# a Location header must not carry a line break, a control character or text outside Latin-1.
_URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
LOCAL_ADMIN = "local-admin"
NO_LOCAL_SIGN_IN = (
    "The local host has no identity provider. Use AUTH_MODE=local from this machine, send an "
    "x-ms-client-principal header with AUTH_MODE=platform, or a bearer token with AUTH_MODE=token."
)


@dataclass(frozen=True)
class Caller:
    name: str
    provider: str
    roles: frozenset[str]

    @property
    def authenticated(self) -> bool:
        return "authenticated" in self.roles


def identify(request: Request, settings: Settings) -> Caller:
    if "local" in settings.auth_mode and local.is_local_caller(request.client_ip, (name for name, _ in request.headers)):
        return Caller(LOCAL_ADMIN, "local", frozenset({"anonymous", "authenticated", *settings.admin_role}))
    headers = request.header_values(PRINCIPAL_HEADER)
    if len(headers) == 1 and "platform" in settings.auth_mode:  # two principals are no one (see principal.py)
        try:
            principal = decode_principal(headers[0])
        except InvalidPrincipal:
            pass
        else:
            return Caller(principal.name, "platform", frozenset({"anonymous", "authenticated", *principal.roles}))
    return Caller("", "", frozenset({"anonymous"}))


def handle_auth(request: Request, caller: Caller) -> Reply:
    """/.auth/me, /.auth/login/<provider> and /.auth/logout, as Static Web Apps answers them."""
    endpoint = request.path[len(AUTH_PREFIX) :].lower().rstrip("/")
    params = dict(parse_qsl(request.query))
    if endpoint == "me":
        return _json({"clientPrincipal": _principal(caller)})
    if endpoint.startswith("login/") and endpoint != "login/":
        if not caller.authenticated:
            # Locally there is no identity provider; redirecting back would loop on the 401 rule.
            return html_page(401, "Sign-in is not available locally", NO_LOCAL_SIGN_IN)
        # A loopback caller in local mode already is the local admin.
        return _redirect_back(request, params.get("post_login_redirect_uri"), DEFAULT_AFTER_LOGIN)
    if endpoint == "logout":
        return _redirect_back(request, params.get("post_logout_redirect_uri"), "/")
    return html_page(404, "Not found", f"{request.path} is not an authentication endpoint")


def _redirect_back(request: Request, wanted: str | None, default: str) -> Reply:
    if wanted == ".referrer":
        wanted = request.header("referer")
    if wanted and not _URI_REFERENCE.fullmatch(wanted):
        return html_page(400, "Bad redirect target", "The page to return to must be a percent-encoded URL (RFC 3986) on this site.")
    return redirect(_same_site_target(request, wanted, default))


def _principal(caller: Caller) -> dict[str, object] | None:
    if not caller.authenticated:
        return None
    return {"identityProvider": caller.provider, "userId": caller.name, "userDetails": caller.name, "userRoles": sorted(caller.roles), "claims": []}


def _same_site_target(request: Request, wanted: str | None, default: str) -> str:
    """A redirect target on this site only: never an open redirect to another host."""
    if not wanted:
        return default
    parts = urlsplit(wanted)
    if (parts.scheme or parts.netloc) and f"{parts.scheme}://{parts.netloc}".lower() != request.base_url.lower():
        return default
    path = parts.path
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    return path + (f"?{parts.query}" if parts.query else "")


def _json(data: object) -> Reply:
    return Reply(200, [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")], json.dumps(data).encode())
