"""The Function App's app settings in infra/ agree with shared/config.py: every name is one the app
or the platform reads, the app starts with them (Settings.from_env), and no secret is a parameter."""

from __future__ import annotations

import re

from deploy.azd_outputs import AzdOutputs
from shared.config import SETTINGS, Settings
from shared.db.mssql import has_credentials
from tests.deploy import bicep, deployment

CONFIG_NAMES = {setting.name for setting in SETTINGS}  # read live: settings added later count too
SECRET_NAMES = {setting.name for setting in SETTINGS if setting.secret}
# What Azure needs set (the rest keep their defaults): issue 17's list.
REQUIRED_IN_AZURE = {
    "DB_BACKEND": "mssql",
    "SQL_USE_MANAGED_IDENTITY": "true",
    "AUTH_MODE": "platform",
    "REPORT_GENERATOR": "azure_openai",
}


def test_every_app_setting_is_read_by_the_app_or_the_platform() -> None:
    unknown = set(deployment.app_settings()) - CONFIG_NAMES
    assert unknown == set(), f"infra/ sets settings nothing reads: {sorted(unknown)}"
    platform = {name for name in deployment.app_settings_source() if name.startswith(deployment.PLATFORM_PREFIXES)}
    assert platform == {
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    }


def test_required_settings_have_the_values_azure_needs() -> None:
    settings = deployment.app_settings()
    assert {name: settings.get(name) for name in REQUIRED_IN_AZURE} == REQUIRED_IN_AZURE
    for name in ("SQL_CONNECTION_STRING", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT", "WORKER_SCHEDULE", "ADMIN_BASE_URL", "ALLOWED_ORIGINS"):
        assert settings.get(name), f"{name} is not set"


def test_the_app_starts_with_these_settings() -> None:
    settings = Settings.from_env(deployment.app_settings())  # raises SettingsError naming a bad one
    assert settings.db_backend == "mssql" and settings.sql_use_managed_identity
    assert settings.auth_mode == ("platform",)
    assert settings.report_generator == "azure_openai" and settings.azure_openai_api_key == ""
    site = deployment.SAMPLE_MODULE_OUTPUTS["siteUrl"]
    assert settings.allowed_origins == (site,) and settings.admin_base_url == site


def test_no_secret_is_set_and_the_connection_string_has_no_credentials() -> None:
    settings = deployment.app_settings()
    assert set(settings) & SECRET_NAMES == {"SQL_CONNECTION_STRING"}
    assert not has_credentials(settings["SQL_CONNECTION_STRING"])


def test_no_parameter_that_looks_like_a_secret_is_plain() -> None:
    secretish = re.compile(r"password|secret|token|apikey|key$", re.IGNORECASE)
    plain = [
        f"{path.name}:{name}"
        for path in bicep.bicep_files()
        for name in bicep.parse(path).get("parameters", {})
        if secretish.search(name) and not bicep.is_secure(path, name)
    ]
    assert plain == []


def test_the_hook_migrates_the_same_database_the_app_uses() -> None:
    params = deployment.SAMPLE_MODULE_OUTPUTS
    outputs = AzdOutputs(
        subscription_id="sub",
        resource_group="rg",
        function_app_name="func",
        sql_server_fqdn=params["sqlServerFqdn"],
        sql_server_name="sql-abc123",
        sql_server_created=True,
        sql_database_name=params["sqlDatabaseName"],
        static_web_app_name="stapp",
        static_web_app_url=params["siteUrl"],
    )
    assert outputs.sql_connection_string == deployment.app_settings()["SQL_CONNECTION_STRING"]
