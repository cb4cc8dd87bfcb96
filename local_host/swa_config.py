"""`staticwebapp.config.json`, read once: routes, navigation fallback, response overrides, headers, MIME types.

Matching follows the Static Web Apps documentation: rules are tried in order and the first whose
`route` (and `methods`, when given) fits wins; matching ignores case; `*` is allowed at the end of a
route and may carry an extension filter (`/images/*.{png,jpg}`); an exact route to `.../index.html`
also matches its folder.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local_host.safe_path import CONFIG_FILE

log = logging.getLogger(__name__)
OVERRIDABLE = (400, 401, 403, 404)
REDIRECT_CODES = (301, 302, 307, 308)
_WILDCARD_END = re.compile(r"^[^*]*\*(?:\.[\w-]+|\.\{[\w,\s-]+\})?$")


class ConfigError(ValueError):
    """The config file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class RouteRule:
    route: str
    pattern: re.Pattern[str]
    methods: frozenset[str] | None
    rewrite: str | None
    redirect: str | None
    status_code: int | None
    headers: dict[str, str]
    allowed_roles: frozenset[str] | None


@dataclass(frozen=True)
class Override:
    rewrite: str | None
    redirect: str | None
    status_code: int | None


@dataclass(frozen=True)
class SiteConfig:
    routes: tuple[RouteRule, ...] = ()
    fallback_rewrite: str | None = None
    fallback_exclude: tuple[re.Pattern[str], ...] = ()
    overrides: dict[int, Override] = field(default_factory=dict)
    global_headers: dict[str, str] = field(default_factory=dict)
    mime_types: dict[str, str] = field(default_factory=dict)  # lower-case extension with its dot

    def match_route(self, path: str, method: str) -> RouteRule | None:
        return next((rule for rule in self.routes if rule.pattern.fullmatch(path) and (rule.methods is None or method in rule.methods)), None)

    def falls_back(self, path: str) -> bool:
        return self.fallback_rewrite is not None and not any(pattern.fullmatch(path) for pattern in self.fallback_exclude)


def load_config(static_dir: Path) -> SiteConfig:
    path = static_dir / CONFIG_FILE
    if not path.is_file():
        log.warning("%s not found: serving %s without routes, fallback or headers", path, static_dir)
        return SiteConfig()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ConfigError(f"{path}: not readable JSON: {err}") from None
    try:
        return parse_config(data)
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from None


def parse_config(data: Any) -> SiteConfig:
    config = _object(data, "the file")
    fallback = _object(config.get("navigationFallback", {}), "navigationFallback")
    excludes = _list(fallback.get("exclude", []), "navigationFallback.exclude")
    return SiteConfig(
        routes=tuple(_route(entry, index) for index, entry in enumerate(_list(config.get("routes", []), "routes"))),
        fallback_rewrite=_optional_text(fallback.get("rewrite"), "navigationFallback.rewrite"),
        fallback_exclude=tuple(glob_pattern(_text(glob, "navigationFallback.exclude[]")) for glob in excludes),
        overrides=_overrides(config.get("responseOverrides", {})),
        global_headers=_headers(config.get("globalHeaders", {}), "globalHeaders"),
        mime_types=_mime_types(config.get("mimeTypes", {})),
    )


def glob_pattern(glob: str) -> re.Pattern[str]:
    """A route or exclude glob as a case-insensitive regex over the decoded path."""
    regex = ""
    for piece in re.split(r"(\*|\{[^}]*\})", glob):
        if piece == "*":
            regex += ".*"
        elif piece.startswith("{") and piece.endswith("}"):
            regex += "(?:" + "|".join(re.escape(choice.strip()) for choice in piece[1:-1].split(",")) + ")"
        else:
            regex += re.escape(piece)
    if "*" not in glob:
        if glob.lower().endswith("/index.html"):
            regex = re.escape(glob[: -len("index.html")].rstrip("/")) + r"(?:/|/index\.html)?"
        else:
            regex += "/?"
    return re.compile(regex, re.IGNORECASE)


def _route(entry: Any, index: int) -> RouteRule:
    where = f"routes[{index}]"
    rule = _object(entry, where)
    route = _text(rule.get("route"), f"{where}.route")
    if "*" in route and not _WILDCARD_END.search(route):
        raise ConfigError(f"{where}.route {route!r}: a wildcard is only allowed at the end, optionally with an extension filter")
    rewrite, redirect = _optional_text(rule.get("rewrite"), f"{where}.rewrite"), _optional_text(rule.get("redirect"), f"{where}.redirect")
    if rewrite and redirect:
        raise ConfigError(f"{where}: rewrite and redirect cannot both be set")
    status = _status(rule.get("statusCode"), f"{where}.statusCode")
    if redirect and status is not None and status not in REDIRECT_CODES:
        raise ConfigError(f"{where}.statusCode: a redirect needs one of {REDIRECT_CODES}")
    methods = rule.get("methods")
    roles = rule.get("allowedRoles")
    return RouteRule(
        route=route,
        pattern=glob_pattern(route),
        methods=None if methods is None else frozenset(_text(m, f"{where}.methods[]").upper() for m in _list(methods, f"{where}.methods")),
        rewrite=rewrite,
        redirect=redirect,
        status_code=status,
        headers=_headers(rule.get("headers", {}), f"{where}.headers"),
        allowed_roles=None if roles is None else frozenset(_text(r, f"{where}.allowedRoles[]") for r in _list(roles, f"{where}.allowedRoles")),
    )


def _overrides(value: Any) -> dict[int, Override]:
    overrides: dict[int, Override] = {}
    for code, entry in _object(value, "responseOverrides").items():
        where = f"responseOverrides.{code}"
        if not code.isdigit() or int(code) not in OVERRIDABLE:
            raise ConfigError(f"{where}: only {', '.join(map(str, OVERRIDABLE))} can be overridden")
        data = _object(entry, where)
        overrides[int(code)] = Override(
            rewrite=_optional_text(data.get("rewrite"), f"{where}.rewrite"),
            redirect=_optional_text(data.get("redirect"), f"{where}.redirect"),
            status_code=_status(data.get("statusCode"), f"{where}.statusCode"),
        )
    return overrides


def _mime_types(value: Any) -> dict[str, str]:
    return {"." + ext.lower().lstrip("."): _text(kind, f"mimeTypes.{ext}") for ext, kind in _object(value, "mimeTypes").items()}


def _headers(value: Any, where: str) -> dict[str, str]:
    headers = _object(value, where)
    for name, text in headers.items():
        if not isinstance(text, str) or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name) or any(c in text for c in "\r\n"):
            raise ConfigError(f"{where}.{name}: a header needs a token name and a one-line string value")
    return dict(headers)


def _status(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 200 <= value <= 599:
        raise ConfigError(f"{where}: must be an HTTP status code")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a JSON object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be a JSON array")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a non-empty string")
    return value


def _optional_text(value: Any, where: str) -> str | None:
    return None if value is None else _text(value, where)
