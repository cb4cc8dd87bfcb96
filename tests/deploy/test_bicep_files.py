"""Every Bicep file parses, and main.bicep wires its modules the way each module declares itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.deploy import bicep

MODULES = sorted(bicep.parse(bicep.MAIN)["modules"])


def test_infra_has_the_entry_point_and_its_modules() -> None:
    assert bicep.MAIN in bicep.bicep_files()
    assert {bicep.module_file(name) for name in MODULES} == set(bicep.bicep_files()) - {bicep.MAIN}


@pytest.mark.parametrize("path", bicep.bicep_files(), ids=lambda path: str(path.relative_to(bicep.INFRA)))
def test_bicep_file_parses(path: Path) -> None:
    doc = bicep.parse(path)
    assert doc.get("resources") or doc.get("modules"), f"{path.name} declares nothing"


@pytest.mark.parametrize("name", MODULES)
def test_module_gets_every_parameter_it_needs_and_no_other(name: str) -> None:
    declared = bicep.parse(bicep.module_file(name))["parameters"]
    passed = set(bicep.module_params(name))
    required = {param for param, spec in declared.items() if spec.get("default") is None}
    assert passed <= set(declared), f"module {name} is passed unknown parameters {sorted(passed - set(declared))}"
    assert required <= passed, f"module {name} misses required parameters {sorted(required - passed)}"


def test_every_module_output_main_reads_exists() -> None:
    read = [path for path in map(bicep.accessor_path, _all_values(bicep.parse(bicep.MAIN))) if path and path[0] in MODULES and path[1:2] == ["outputs"]]
    missing = [".".join(path) for path in read if path[2] not in bicep.parse(bicep.module_file(path[0])).get("outputs", {})]
    assert len(read) >= 10  # api.outputs.principalId, web.outputs.url, sql.outputs.serverFqdn, ...
    assert not missing, f"main.bicep reads outputs its modules do not declare: {missing}"


def test_parameter_file_sets_only_declared_parameters() -> None:
    parameters = json.loads((bicep.INFRA / "main.parameters.json").read_text(encoding="utf-8"))["parameters"]
    declared = bicep.parse(bicep.MAIN)["parameters"]
    assert set(parameters) <= set(declared)
    required = {name for name, spec in declared.items() if spec.get("default") is None}
    assert required <= set(parameters), f"azd would prompt for {sorted(required - set(parameters))}"


def _all_values(node: object) -> list[object]:
    found: list[object] = [node]
    if isinstance(node, dict):
        for value in node.values():
            found.extend(_all_values(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_all_values(value))
    return found
