"""What Azure's REST API accepts for each resource the Bicep declares, read from the azure-mgmt-*
SDK models (generated from the same REST specifications as the API) at the API version used.

Two generations of models exist: msrest ones list `_attribute_map` entries ("properties.serverFarmId"
flattened into one class), TypeSpec ones declare `rest_field`s with nested models. Both are read
into one tree of REST names, so a misspelled or read-only property fails a test, not a deployment.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import types
import typing
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class ModelRef:
    models: str  # module holding the models
    name: str  # the model of the PUT body
    operations: str  # module whose source names the API version

    def model(self) -> type:
        return getattr(importlib.import_module(self.models), self.name)

    def api_versions(self) -> set[str]:
        module = importlib.import_module(self.operations)
        versions = set(re.findall(r"api[-_]version[^\n]{0,80}?[\"'](\d{4}-\d{2}-\d{2}(?:-preview)?)[\"']", inspect.getsource(module)))
        if not versions:  # TypeSpec clients keep the default in the client configuration
            config = importlib.import_module(self.models.rsplit(".models", 1)[0] + "._configuration")
            versions = set(re.findall(r"\"api_version\", \"(\d{4}-\d{2}-\d{2}(?:-preview)?)\"", inspect.getsource(config)))
        return versions


_WEB = "azure.mgmt.web.v2024_04_01"
_STORAGE = "azure.mgmt.storage.v2023_05_01"
# (resource type, API version) -> the SDK model of its request body.
MODELS: dict[tuple[str, str], ModelRef] = {
    ("Microsoft.Resources/resourceGroups", "2021-04-01"): ModelRef(
        "azure.mgmt.resource.resources.v2021_04_01.models", "ResourceGroup", "azure.mgmt.resource.resources.v2021_04_01.operations._operations"
    ),
    ("Microsoft.OperationalInsights/workspaces", "2021-06-01"): ModelRef(
        "azure.mgmt.loganalytics.models", "Workspace", "azure.mgmt.loganalytics.operations._workspaces_operations"
    ),
    ("Microsoft.Insights/components", "2020-02-02"): ModelRef(
        "azure.mgmt.applicationinsights.v2020_02_02.models", "ApplicationInsightsComponent", "azure.mgmt.applicationinsights.v2020_02_02._configuration"
    ),
    ("Microsoft.Storage/storageAccounts", "2023-05-01"): ModelRef(f"{_STORAGE}.models", "StorageAccountCreateParameters", f"{_STORAGE}._configuration"),
    ("Microsoft.Storage/storageAccounts/blobServices", "2023-05-01"): ModelRef(f"{_STORAGE}.models", "BlobServiceProperties", f"{_STORAGE}._configuration"),
    ("Microsoft.Storage/storageAccounts/blobServices/containers", "2023-05-01"): ModelRef(f"{_STORAGE}.models", "BlobContainer", f"{_STORAGE}._configuration"),
    ("Microsoft.Storage/storageAccounts/queueServices", "2023-05-01"): ModelRef(f"{_STORAGE}.models", "QueueServiceProperties", f"{_STORAGE}._configuration"),
    ("Microsoft.Storage/storageAccounts/queueServices/queues", "2023-05-01"): ModelRef(f"{_STORAGE}.models", "StorageQueue", f"{_STORAGE}._configuration"),
    ("Microsoft.Web/serverfarms", "2024-04-01"): ModelRef(f"{_WEB}.models", "AppServicePlan", f"{_WEB}._configuration"),
    ("Microsoft.Web/sites", "2024-04-01"): ModelRef(f"{_WEB}.models", "Site", f"{_WEB}._configuration"),
    ("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "2024-04-01"): ModelRef(
        f"{_WEB}.models", "CsmPublishingCredentialsPoliciesEntity", f"{_WEB}._configuration"
    ),
    ("Microsoft.Web/staticSites", "2024-04-01"): ModelRef(f"{_WEB}.models", "StaticSiteARMResource", f"{_WEB}._configuration"),
    ("Microsoft.Web/staticSites/linkedBackends", "2024-04-01"): ModelRef(f"{_WEB}.models", "StaticSiteLinkedBackendARMResource", f"{_WEB}._configuration"),
    ("Microsoft.Sql/servers", "2025-01-01"): ModelRef("azure.mgmt.sql.models", "Server", "azure.mgmt.sql._configuration"),
    ("Microsoft.Sql/servers/firewallRules", "2025-01-01"): ModelRef("azure.mgmt.sql.models", "FirewallRule", "azure.mgmt.sql._configuration"),
    ("Microsoft.Sql/servers/databases", "2025-01-01"): ModelRef("azure.mgmt.sql.models", "Database", "azure.mgmt.sql._configuration"),
    ("Microsoft.CognitiveServices/accounts", "2024-10-01"): ModelRef(
        "azure.mgmt.cognitiveservices.models", "Account", "azure.mgmt.cognitiveservices._configuration"
    ),
    ("Microsoft.CognitiveServices/accounts/deployments", "2024-10-01"): ModelRef(
        "azure.mgmt.cognitiveservices.models", "Deployment", "azure.mgmt.cognitiveservices._configuration"
    ),
    ("Microsoft.Authorization/roleAssignments", "2022-04-01"): ModelRef(
        "azure.mgmt.authorization.v2022_04_01.models", "RoleAssignmentCreateParameters", "azure.mgmt.authorization.v2022_04_01._configuration"
    ),
}

# Parts of a Bicep resource body that are not in the REST request body.
BICEP_KEYWORDS = frozenset({"parent", "scope", "dependsOn", "name"})  # name: the last segment of the URL


@dataclass(frozen=True)
class Shape:
    """A REST value: a model (named fields), a list or map of shapes, or anything (scalars, `object`)."""

    kind: str  # "model" | "list" | "map" | "any"
    fields: dict[str, Field] | None = None
    item: Shape | None = None
    model_name: str = ""


@dataclass(frozen=True)
class Field:
    shape: Shape
    read_only: bool


ANY = Shape("any")


def shape_of(model: type) -> Shape:
    return _model_shape(model)


@functools.cache
def _model_shape(model: type) -> Shape:
    fields: dict[str, Field] = {}
    if hasattr(model, "_attribute_map"):
        _read_msrest(model, fields)
    else:
        _read_typespec(model, fields)
    return Shape("model", fields=fields, model_name=model.__name__)


def _read_msrest(model: type, fields: dict[str, Field]) -> None:
    package = importlib.import_module(model.__module__.rsplit(".", 1)[0])
    validation: dict[str, dict[str, Any]] = getattr(model, "_validation", {})
    for attr, entry in model._attribute_map.items():  # type: ignore[attr-defined]
        parts = [part.replace("\\.", ".") for part in re.split(r"(?<!\\)\.", entry["key"])]
        read_only = bool(validation.get(attr, {}).get("readonly"))
        target = fields
        for part in parts[:-1]:  # flattened "properties.x": an implicit nested object
            if part not in target:
                target[part] = Field(Shape("model", fields={}, model_name=f"{model.__name__}.{part}"), read_only=False)
            target = target[part].shape.fields  # type: ignore[assignment]
        target[parts[-1]] = Field(_msrest_type(package, entry["type"]), read_only)


def _msrest_type(package: ModuleType, name: str) -> Shape:
    if name.startswith("[") and name.endswith("]"):
        return Shape("list", item=_msrest_type(package, name[1:-1]))
    if name.startswith("{") and name.endswith("}"):
        return Shape("map", item=_msrest_type(package, name[1:-1]))
    found = getattr(package, name, None)
    if isinstance(found, type) and hasattr(found, "_attribute_map"):
        return _LazyModel(found)  # type: ignore[return-value]
    return ANY


def _read_typespec(model: type, fields: dict[str, Field]) -> None:
    try:
        model()  # the base class computes `_attr_to_rest_field` on first construction
    except TypeError:
        model.__new__(model)
    package = importlib.import_module(model.__module__.rsplit(".", 1)[0])
    hints = typing.get_type_hints(model, globalns=vars(importlib.import_module(model.__module__)), localns={"_models": package})
    for attr, rest_field in model._attr_to_rest_field.items():  # type: ignore[attr-defined]
        read_only = list(rest_field._visibility or []) == ["read"]
        fields[rest_field._rest_name] = Field(_typespec_type(hints.get(attr, Any)), read_only)


def _typespec_type(hint: Any) -> Shape:
    origin = typing.get_origin(hint)
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if origin in (typing.Union, types.UnionType):
        models = [arg for arg in args if _is_typespec_model(arg)]
        return _typespec_type(models[0]) if models else (_typespec_type(args[0]) if len(args) == 1 else ANY)
    if origin is list:
        return Shape("list", item=_typespec_type(args[0]))
    if origin is dict:
        return Shape("map", item=_typespec_type(args[1]))
    if _is_typespec_model(hint):
        return _LazyModel(hint)  # type: ignore[return-value]
    return ANY


def _is_typespec_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and any(base.__name__ == "Model" and "model_base" in base.__module__ for base in candidate.__mro__)


class _LazyModel(Shape):
    """A nested model, read when first walked (the models refer to each other in cycles)."""

    def __init__(self, model: type) -> None:
        object.__setattr__(self, "_model", model)

    def resolve(self) -> Shape:
        return _model_shape(self._model)  # type: ignore[attr-defined]


def _resolved(shape: Shape) -> Shape:
    return shape.resolve() if isinstance(shape, _LazyModel) else shape


def _is_expression(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("operator", "function")


def check_value(shape: Shape, value: Any, where: str) -> list[str]:
    """Problems with a Bicep value against a REST shape: unknown names, read-only properties."""
    shape = _resolved(shape)
    if _is_expression(value) or shape.kind == "any" or value is None:
        return []
    if isinstance(value, dict) and "loop_type" in value:  # [for x in y: {...}] builds a list
        return check_value(shape.item or ANY, value["config"], f"{where}[]") if shape.kind == "list" else [f"{where}: a list where {shape.kind} is expected"]
    if shape.kind == "list":
        if not isinstance(value, list):
            return []
        return [problem for index, item in enumerate(value) for problem in check_value(shape.item or ANY, item, f"{where}[{index}]")]
    if shape.kind == "map":
        return [problem for key, item in value.items() for problem in check_value(shape.item or ANY, item, f"{where}.{key}")] if isinstance(value, dict) else []
    if not isinstance(value, dict):
        return [f"{where}: a scalar where {shape.model_name} (an object) is expected"]
    return _check_object(shape, value, where)


def _check_object(shape: Shape, value: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    for key, item in value.items():
        field = (shape.fields or {}).get(key)
        if field is None:
            problems.append(f"{where}.{key}: not a property of {shape.model_name}")
        elif field.read_only:
            problems.append(f"{where}.{key}: read-only in {shape.model_name}")
        else:
            problems.extend(check_value(field.shape, item, f"{where}.{key}"))
    return problems


def check_resource_body(ref: ModelRef, body: dict[str, Any], where: str) -> list[str]:
    request = {key: value for key, value in body.items() if key not in BICEP_KEYWORDS}
    return _check_object(shape_of(ref.model()), request, where)
