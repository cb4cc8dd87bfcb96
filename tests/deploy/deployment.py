"""What the deployment gives the Function App, evaluated offline from infra/: its app settings and
the roles its identity is granted, in the shapes the tests compare with the code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tests.deploy import bicep

FUNCTION_APP = bicep.INFRA / "modules" / "function-app.bicep"
# What main.bicep passes the function-app module from other modules' outputs, as Azure would fill it.
SAMPLE_MODULE_OUTPUTS = {
    "sqlServerFqdn": "sql-abc123.database.windows.net",
    "sqlDatabaseName": "jobs",
    "openAiEndpoint": "https://oai-abc123.openai.azure.com/",
    "siteUrl": "https://happy-rock-0a1b2c3d4.azurestaticapps.net",
}
# Settings the platform reads, not shared/config.py (Functions host storage, Application Insights).
PLATFORM_PREFIXES = ("AzureWebJobsStorage__", "APPLICATIONINSIGHTS_")

# Built-in role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
ROLE_NAMES = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
    "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
}


def app_settings_source() -> dict[str, Any]:
    return bicep.variable(FUNCTION_APP, "appSettings")


def module_param_values() -> dict[str, str]:
    """The function-app module's parameters: main.bicep's own parameter defaults where it passes
    them through, sample values where it passes another module's outputs."""
    values: dict[str, str] = {}
    main_params = bicep.parse(bicep.MAIN)["parameters"]
    for name, expression in bicep.module_params("api").items():
        if isinstance(expression, str) and expression in main_params:
            values[name] = str(main_params[expression]["default"])
        elif name in SAMPLE_MODULE_OUTPUTS:
            values[name] = SAMPLE_MODULE_OUTPUTS[name]
    return values


@cache
def app_settings() -> dict[str, str]:
    """The config-owned app settings as the Function App would see them."""
    params = module_param_values()
    return {name: str(bicep.evaluate(FUNCTION_APP, value, params)) for name, value in app_settings_source().items() if not name.startswith(PLATFORM_PREFIXES)}


@dataclass(frozen=True)
class Grant:
    role: str
    scope_type: str  # the resource type the role is assigned on
    principal: str  # where the principal id comes from, as main.bicep passes it


def _role_ids(path: Path, resource: bicep.Resource) -> list[str]:
    name = resource.body["properties"]["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]
    if isinstance(name, str):
        return [bicep.variable(path, name)]
    loop = bicep.parse(path)["resources"][resource.symbol]["config"]["loop_type"]["detail"]
    accessor = bicep.accessor_path(name)
    assert accessor == [loop["item_name"], "value"], f"{resource.symbol}: role id from {accessor}"
    return list(bicep.variable(path, loop["array_name"]["function"]["parameters"]["arg_1"]).values())


def grants() -> list[Grant]:
    modules = {bicep.module_file(name): name for name in bicep.parse(bicep.MAIN)["modules"]}
    found: list[Grant] = []
    for resource in bicep.resources():
        if resource.type != "Microsoft.Authorization/roleAssignments":
            continue
        scope_type = bicep.resource(resource.file, resource.body["scope"]).type
        principal_param = resource.body["properties"]["principalId"]
        principal = ".".join(bicep.accessor_path(bicep.module_params(modules[resource.file])[principal_param]) or ["?"])
        found.extend(Grant(ROLE_NAMES.get(role_id, role_id), scope_type, principal) for role_id in _role_ids(resource.file, resource))
    return found
