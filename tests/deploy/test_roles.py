"""The roles infra/ grants the Function App's identity are exactly the ones its code and settings
need: blob/queue/table for identity-based AzureWebJobsStorage, OpenAI User for token-authenticated
chat calls, Metrics Publisher for Entra-authenticated telemetry, and a database user for SQL."""

from __future__ import annotations

import re

from deploy.postprovision import grant_statement
from shared.db.mssql import TOKEN_SCOPE as SQL_TOKEN_SCOPE
from shared.reports.generators.chat import AZURE_TOKEN_SCOPE
from tests.deploy import bicep, deployment

STORAGE = "Microsoft.Storage/storageAccounts"
SERVICE_ROLES = {
    "AzureWebJobsStorage__blobServiceUri": "Storage Blob Data Owner",
    "AzureWebJobsStorage__queueServiceUri": "Storage Queue Data Contributor",
    "AzureWebJobsStorage__tableServiceUri": "Storage Table Data Contributor",
}
APP_IDENTITY = "api.outputs.principalId"


def needed_grants() -> set[deployment.Grant]:
    source = deployment.app_settings_source()
    needed = {deployment.Grant(role, STORAGE, APP_IDENTITY) for setting, role in SERVICE_ROLES.items() if setting in source}
    settings = deployment.app_settings()
    if settings["REPORT_GENERATOR"] == "azure_openai" and not settings.get("AZURE_OPENAI_API_KEY"):
        assert AZURE_TOKEN_SCOPE == "https://cognitiveservices.azure.com/.default"  # the scope that role covers
        needed.add(deployment.Grant("Cognitive Services OpenAI User", "Microsoft.CognitiveServices/accounts", APP_IDENTITY))
    if "Authorization=AAD" in str(source.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")):
        needed.add(deployment.Grant("Monitoring Metrics Publisher", "Microsoft.Insights/components", APP_IDENTITY))
    return needed


def test_granted_roles_are_exactly_the_needed_ones() -> None:
    granted = deployment.grants()
    assert len(granted) == len(set(granted)), "a role is granted twice"
    assert set(granted) == needed_grants()


def test_the_identity_granted_is_the_function_apps() -> None:
    identity = bicep.resource(deployment.FUNCTION_APP, "functionApp").body["identity"]
    assert identity == {"type": "SystemAssigned"}
    outputs = bicep.parse(deployment.FUNCTION_APP)["outputs"]
    assert bicep.accessor_path(outputs["principalId"]["value"]) == ["functionApp", "identity", "principalId"]


def test_storage_accepts_identities_only() -> None:
    properties = bicep.resource(bicep.INFRA / "modules" / "storage.bicep", "account").body["properties"]
    assert properties["allowSharedKeyAccess"] is False and properties["allowBlobPublicAccess"] is False
    assert deployment.app_settings_source()["AzureWebJobsStorage__credential"] == "managedidentity"


def test_openai_and_telemetry_refuse_keys() -> None:
    assert bicep.resource(bicep.INFRA / "modules" / "openai.bicep", "account").body["properties"]["disableLocalAuth"] is True
    assert bicep.resource(bicep.INFRA / "modules" / "monitoring.bicep", "applicationInsights").body["properties"]["DisableLocalAuth"] is True


def test_sql_is_entra_only_and_the_hook_grants_the_readme_roles() -> None:
    assert SQL_TOKEN_SCOPE == "https://database.windows.net/.default"  # Entra tokens, so a database user, not an RBAC role
    administrators = bicep.resource(bicep.INFRA / "modules" / "sql.bicep", "server").body["properties"]["administrators"]
    assert administrators["azureADOnlyAuthentication"] is True
    readme = (bicep.ROOT / "README.md").read_text(encoding="utf-8")
    readme_roles = re.findall(r"ALTER ROLE (\w+) ADD MEMBER \[my-function-app\]", readme)
    text, _ = grant_statement()
    assert readme_roles and re.findall(r"ALTER ROLE (\w+) ADD MEMBER", text) == readme_roles
    assert "FROM EXTERNAL PROVIDER" in text
