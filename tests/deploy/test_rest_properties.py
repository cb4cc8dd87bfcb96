"""Every property the Bicep sets is one Azure's REST API accepts at the API version it names, checked
against the azure-mgmt-* models, so a misspelling fails here and not halfway through `azd up`."""

from __future__ import annotations

import copy

import pytest

from tests.deploy import bicep, rest_models

RESOURCES = list(bicep.resources())


def _id(resource: bicep.Resource) -> str:
    return f"{resource.file.name}:{resource.symbol}"


@pytest.mark.parametrize("resource", RESOURCES, ids=_id)
def test_resource_type_and_api_version_have_a_rest_model(resource: bicep.Resource) -> None:
    ref = rest_models.MODELS.get((resource.type, resource.api_version))
    assert ref is not None, f"no REST model registered for {resource.type}@{resource.api_version}"
    assert resource.api_version in ref.api_versions(), f"{ref.models} speaks {ref.api_versions()}, not {resource.api_version}"


@pytest.mark.parametrize("resource", [item for item in RESOURCES if not item.existing], ids=_id)
def test_every_property_is_known_and_writable(resource: bicep.Resource) -> None:
    ref = rest_models.MODELS[(resource.type, resource.api_version)]
    assert rest_models.check_resource_body(ref, resource.body, _id(resource)) == []


def test_a_misspelled_property_is_caught() -> None:
    storage = bicep.resource(bicep.INFRA / "modules" / "storage.bicep", "account")
    body = copy.deepcopy(storage.body)
    body["properties"]["allowSharedKeyAcess"] = body["properties"].pop("allowSharedKeyAccess")
    problems = rest_models.check_resource_body(rest_models.MODELS[(storage.type, storage.api_version)], body, "account")
    assert problems == ["account.properties.allowSharedKeyAcess: not a property of StorageAccountCreateParameters.properties"]


def test_a_misspelled_nested_property_and_a_read_only_one_are_caught_in_typespec_models() -> None:
    server = bicep.resource(bicep.INFRA / "modules" / "sql.bicep", "server")
    body = copy.deepcopy(server.body)
    body["properties"]["administrators"]["azureAdOnlyAuthentication"] = body["properties"]["administrators"].pop("azureADOnlyAuthentication")
    body["properties"]["fullyQualifiedDomainName"] = "sql.example.net"
    problems = rest_models.check_resource_body(rest_models.MODELS[(server.type, server.api_version)], body, "server")
    assert problems == [
        "server.properties.administrators.azureAdOnlyAuthentication: not a property of ServerExternalAdministrator",
        "server.properties.fullyQualifiedDomainName: read-only in ServerProperties",
    ]


def test_a_misspelled_property_inside_a_for_expression_is_caught() -> None:
    site = bicep.resource(bicep.INFRA / "modules" / "function-app.bicep", "functionApp")
    body = copy.deepcopy(site.body)
    body["properties"]["siteConfig"]["appSettings"]["config"]["val"] = body["properties"]["siteConfig"]["appSettings"]["config"].pop("value")
    problems = rest_models.check_resource_body(rest_models.MODELS[(site.type, site.api_version)], body, "site")
    assert problems == ["site.properties.siteConfig.appSettings[].val: not a property of NameValuePair"]
