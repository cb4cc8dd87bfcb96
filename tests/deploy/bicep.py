"""infra/ as data: every .bicep file parsed by pycep-parser, and the few lookups the tests need.

pycep writes a string literal and a reference to a symbol (parameter, variable, resource, module)
the same way, as a plain string; `is_reference` tells them apart by the file's declared symbols.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pycep import BicepParser

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
MAIN = INFRA / "main.bicep"
_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
_SKIP_COMMENT = re.compile(r"//\s*checkov:skip=([A-Z0-9_]+):(.*)$")


def bicep_files() -> list[Path]:
    return sorted(INFRA.rglob("*.bicep"))


@cache
def parse(path: Path) -> dict[str, Any]:
    return BicepParser().parse(text=path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Resource:
    file: Path
    symbol: str
    type: str
    api_version: str
    existing: bool
    body: dict[str, Any]  # the object after `=`, with a loop's or condition's wrapper removed


def _unwrap(config: dict[str, Any]) -> dict[str, Any]:
    while "loop_type" in config or ("condition" in config and "config" in config):
        config = config["config"]
    return config


def resources(path: Path | None = None) -> Iterator[Resource]:
    for file in [path] if path else bicep_files():
        for symbol, resource in parse(file).get("resources", {}).items():
            yield Resource(file, symbol, resource["type"], resource["api_version"], resource["existing"], _unwrap(resource["config"]))


def resource(path: Path, symbol: str) -> Resource:
    return next(item for item in resources(path) if item.symbol == symbol)


def symbols(path: Path) -> set[str]:
    doc = parse(path)
    return {name for section in ("parameters", "variables", "resources", "modules") for name in doc.get(section, {})}


def is_reference(path: Path, value: Any) -> bool:
    return isinstance(value, str) and value in symbols(path)


def variable(path: Path, name: str) -> Any:
    return parse(path)["variables"][name]["value"]


def parameter(path: Path, name: str) -> dict[str, Any]:
    return parse(path)["parameters"][name]


def is_secure(path: Path, name: str) -> bool:
    return any(decorator.get("type") == "secure" for decorator in parameter(path, name)["decorators"])


def module_file(name: str) -> Path:
    return (INFRA / parse(MAIN)["modules"][name]["detail"]["path"]).resolve()


def module_params(name: str) -> dict[str, Any]:
    """What main.bicep passes to one of its modules."""
    return _unwrap(parse(MAIN)["modules"][name]["config"])["params"]


def accessor_path(value: Any) -> list[str] | None:
    """`api.outputs.principalId` -> ['api', 'outputs', 'principalId']; None for anything else."""
    parts: list[str] = []
    while isinstance(value, dict) and value.get("operator", {}).get("type") == "property_accessor":
        operands = value["operator"]["operands"]
        parts.append(operands["operand_1"])
        value = operands["operand_2"]
    if not parts or not isinstance(value, str):
        return None
    return [*parts, value]


def referenced_names(value: Any) -> set[str]:
    """Every bare name an expression mentions, including inside `${...}` interpolations."""
    if isinstance(value, str):
        names = {value}
        for expression in _INTERPOLATION.findall(value):
            names.update(re.findall(r"[A-Za-z_]\w*", expression))
        return names
    if isinstance(value, dict):
        return set().union(*(referenced_names(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(referenced_names(item) for item in value)) if value else set()
    return set()


def evaluate(path: Path, value: Any, params: dict[str, str]) -> Any:
    """A value as Azure would see it, for literals, references and `${...}` interpolations; the
    module's parameters come from `params`. Anything else (a function, an accessor) raises."""
    if isinstance(value, str):
        if is_reference(path, value):
            doc = parse(path)
            if value in doc.get("variables", {}):
                return evaluate(path, variable(path, value), params)
            if value in doc.get("parameters", {}):
                return params[value]
            raise ValueError(f"{value} is a resource or module, not a value")
        return _INTERPOLATION.sub(lambda match: str(evaluate(path, match.group(1), params)), value)
    if isinstance(value, bool | int):
        return value
    raise ValueError(f"cannot evaluate {value!r} offline")


@dataclass(frozen=True)
class SkipComment:
    file: Path
    line: int  # 1-based
    check_id: str
    reason: str


def skip_comments() -> list[SkipComment]:
    found: list[SkipComment] = []
    for file in bicep_files():
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            match = _SKIP_COMMENT.search(line)
            if match:
                found.append(SkipComment(file, number, match.group(1), match.group(2).strip()))
    return found
