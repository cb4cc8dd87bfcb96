"""Decide who a request comes from and whether it may read or change anything."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import azure.functions as func

from shared.auth import local
from shared.auth.principal import PRINCIPAL_HEADER, InvalidPrincipal, decode_principal
from shared.config import Settings
from shared.http.responses import ApiError

NOT_CONFIGURED = (
    "Admin access is not configured: set AUTH_MODE to platform (Static Web Apps / App Service "
    "authentication), token (with ADMIN_API_TOKEN), or local (the local host only)."
)


@dataclass(frozen=True)
class Identity:
    name: str
    mode: str
    can_write: bool


def authorize(req: func.HttpRequest, settings: Settings, write: bool) -> Identity:
    """The caller's identity, or ApiError 401 (who are you?) / 403 (not allowed)."""
    identity = _identify(req, settings)
    if write and not identity.can_write:
        raise ApiError(403, "forbidden", f"{identity.name or 'This user'} has read-only access")
    return identity


def _identify(req: func.HttpRequest, settings: Settings) -> Identity:
    modes = settings.auth_mode
    if not modes:
        raise ApiError(401, "auth_not_configured", NOT_CONFIGURED)

    bearer = _bearer_token(req)
    if bearer is not None:
        if "token" not in modes:
            raise ApiError(401, "unauthorized", "Bearer tokens are not accepted here (AUTH_MODE has no 'token')")
        if not hmac.compare_digest(bearer.encode(), settings.admin_api_token.encode()):
            raise ApiError(401, "unauthorized", "The bearer token is not valid")
        return Identity(name="api-token", mode="token", can_write=True)

    header = req.headers.get(PRINCIPAL_HEADER)
    if header and "platform" in modes:
        try:
            principal = decode_principal(header)
        except InvalidPrincipal as err:
            raise ApiError(401, "unauthorized", f"The sign-in principal is not valid: {err}") from None
        if principal.roles & set(settings.admin_role):
            return Identity(name=principal.name, mode="platform", can_write=True)
        if principal.roles & set(settings.viewer_role):
            return Identity(name=principal.name, mode="platform", can_write=False)
        raise ApiError(403, "forbidden", f"Signed in as {principal.name or 'a user'} without the {settings.admin_role[0]} role")

    if "local" in modes and local.is_local_caller(req.headers.get(local.CLIENT_ADDR_HEADER), req.headers.keys()):
        return Identity(name="local-admin", mode="local", can_write=True)

    raise ApiError(401, "unauthorized", "Sign in first: " + _how_to_sign_in(modes))


def _bearer_token(req: func.HttpRequest) -> str | None:
    header = req.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "Authorization must be 'Bearer <token>'")
    return token.strip()


def _how_to_sign_in(modes: tuple[str, ...]) -> str:
    ways = {
        "platform": "sign in at /.auth/login/aad",
        "token": "send 'Authorization: Bearer <ADMIN_API_TOKEN>'",
        "local": "call from this machine through the local host",
    }
    return "; or ".join(ways[mode] for mode in modes)
