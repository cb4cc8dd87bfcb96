"""Azure Functions route templates (`items/{id}`, `{id?}`, `{id:int}`, `{*rest}`) as regular expressions."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONSTRAINTS = {
    "int": r"-?\d+",
    "long": r"-?\d+",
    "alpha": r"[A-Za-z]+",
    "bool": r"(?i:true|false)",
    "guid": r"[0-9A-Fa-f]{8}-?(?:[0-9A-Fa-f]{4}-?){3}[0-9A-Fa-f]{12}",
}
_PARAMETER = re.compile(r"^\{(?P<catch_all>\*)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<constraint>[a-z]+))?(?P<optional>\?)?\}$")


class RouteTemplateError(ValueError):
    pass


@dataclass(frozen=True)
class RouteTemplate:
    template: str
    pattern: re.Pattern[str]
    has_parameters: bool

    def match(self, path: str) -> dict[str, str] | None:
        """Route parameters when `path` (below the /api prefix, decoded) fits the template."""
        inner = path.strip("/")
        found = self.pattern.fullmatch("/" + inner if inner else "")
        if found is None:
            return None
        return {name: value for name, value in found.groupdict().items() if value is not None}


def compile_template(template: str) -> RouteTemplate:
    parts: list[str] = []
    segments = [segment for segment in template.strip("/").split("/") if segment]
    for index, segment in enumerate(segments):
        parameter = _PARAMETER.match(segment)
        if parameter is None:
            if "{" in segment or "}" in segment:
                raise RouteTemplateError(f"route {template!r}: the local host supports only whole-segment parameters such as {{id}}")
            parts.append("/" + re.escape(segment))
            continue
        name, constraint = parameter["name"], parameter["constraint"]
        if constraint is not None and constraint not in CONSTRAINTS:
            raise RouteTemplateError(f"route {template!r}: constraint {constraint!r} is not one of {', '.join(CONSTRAINTS)}")
        if parameter["catch_all"]:
            if index != len(segments) - 1:
                raise RouteTemplateError(f"route {template!r}: a catch-all parameter must come last")
            parts.append(f"(?:/(?P<{name}>.*))?")
            continue
        value = CONSTRAINTS.get(constraint or "", r"[^/]+")
        parts.append(f"(?:/(?P<{name}>{value}))?" if parameter["optional"] else f"/(?P<{name}>{value})")
    regex = "".join(parts)
    return RouteTemplate(template, re.compile(regex, re.IGNORECASE), "(?P<" in regex)
