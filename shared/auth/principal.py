"""The platform's signed-in user: the base64 JSON in `x-ms-client-principal`.

Static Web Apps sends `{"userId", "userDetails", "identityProvider", "userRoles": [...]}`.
App Service Authentication (EasyAuth) sends `{"auth_typ", "claims": [{"typ", "val"}], "name_typ", "role_typ"}`.

The platform writes exactly one header, in canonical base64, of one JSON object. Anything else did
not come from it, so it is refused rather than read leniently: two headers (which arrive joined as
"A, B", so "admin, viewer" must not become an admin), characters outside base64, data after the
padding, missing padding, duplicate keys.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

PRINCIPAL_HEADER = "x-ms-client-principal"
MAX_PRINCIPAL_BYTES = 16 * 1024
_ROLE_CLAIM_TYPES = ("roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role")
_NAME_CLAIM_TYPES = ("name", "preferred_username", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name")


class InvalidPrincipal(ValueError):
    pass


@dataclass(frozen=True)
class Principal:
    name: str
    roles: frozenset[str]


def decode_principal(header: str) -> Principal:
    if len(header) > MAX_PRINCIPAL_BYTES:
        raise InvalidPrincipal("principal header too large")
    text = header.strip(" \t")  # optional whitespace around a field value is not part of it (RFC 9110 §5.5)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidPrincipal("principal header is not one base64 value") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise InvalidPrincipal("principal header is not canonical base64")
    try:
        data: Any = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError):
        raise InvalidPrincipal("principal header is not base64 of JSON") from None
    if not isinstance(data, dict):
        raise InvalidPrincipal("principal is not a JSON object")
    if "userRoles" in data:
        return _static_web_apps(data)
    if "claims" in data:
        return _app_service(data)
    raise InvalidPrincipal("principal has neither userRoles nor claims")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def _static_web_apps(data: dict[str, Any]) -> Principal:
    roles = data.get("userRoles")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise InvalidPrincipal("userRoles must be a list of strings")
    name = data.get("userDetails") or data.get("userId") or ""
    if not isinstance(name, str):
        raise InvalidPrincipal("userDetails must be a string")
    return Principal(name=name, roles=frozenset(roles))


def _app_service(data: dict[str, Any]) -> Principal:
    claims = data.get("claims")
    if not isinstance(claims, list) or not all(isinstance(c, dict) and isinstance(c.get("typ"), str) for c in claims):
        raise InvalidPrincipal("claims must be a list of {typ, val}")
    role_types = {data.get("role_typ"), *_ROLE_CLAIM_TYPES} - {None}
    name_types = [data.get("name_typ"), *_NAME_CLAIM_TYPES]
    roles = frozenset(str(c.get("val")) for c in claims if c["typ"] in role_types and c.get("val") is not None)
    by_type = {c["typ"]: c.get("val") for c in claims}
    name = next((str(by_type[t]) for t in name_types if t and by_type.get(t)), "")
    return Principal(name=name, roles=roles)
