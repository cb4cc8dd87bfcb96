"""The post-provision hook against stand-ins for what only Azure has: the SQL server (a recording
connection; SQL Server cannot run here) and Resource Manager (a recording sender)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from deploy.azd_outputs import AzdOutputs, MissingOutput
from deploy.postprovision import grant_statement, migration_env, run
from deploy.sql_firewall import FirewallRule, refused_address
from shared.config import Settings

ENV = {
    "AZURE_SUBSCRIPTION_ID": "00000000-0000-0000-0000-000000000001",
    "AZURE_RESOURCE_GROUP": "rg-demo",
    "AZURE_FUNCTION_APP_NAME": "func-abc123",
    "AZURE_SQL_SERVER_FQDN": "sql-abc123.database.windows.net",
    "AZURE_SQL_SERVER_NAME": "sql-abc123",
    "AZURE_SQL_SERVER_CREATED": "true",
    "AZURE_SQL_DATABASE_NAME": "jobs",
    "AZURE_STATIC_WEB_APP_NAME": "stapp-abc123",
    "AZURE_STATIC_WEB_APP_URL": "https://happy-rock.azurestaticapps.net",
}
REFUSED = (
    "('42000', \"[42000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Cannot open server 'sql-abc123' requested by the login. "
    "Client with IP address '203.0.113.7' is not allowed to access the server. (40615) (SQLDriverConnect)\")"
)


class RecordingConnection:
    def __init__(self) -> None:
        self.executed: list[tuple[str, list[Any]]] = []
        self.committed = self.closed = False

    def cursor(self) -> RecordingConnection:
        return self

    def execute(self, sql: str, params: list[Any]) -> None:
        self.executed.append((sql, params))

    def commit(self) -> None:
        self.committed = True

    def close(self) -> None:
        self.closed = True


class Azure:
    """Records what the hook asks of SQL and Resource Manager; refuses the first logins if told to."""

    def __init__(self, refusals: int = 0) -> None:
        self.refusals = refusals
        self.connection = RecordingConnection()
        self.requests: list[tuple[str, str, Any]] = []
        self.migrated = False

    def connect(self, connection_string: str) -> RecordingConnection:
        assert "Server=tcp:sql-abc123.database.windows.net,1433;Database=jobs" in connection_string
        if self.refusals:
            self.refusals -= 1
            raise RuntimeError(REFUSED)
        return self.connection

    def send(self, request: urllib.request.Request) -> None:
        self.requests.append((request.get_method(), request.full_url, json.loads(request.data) if request.data else None))

    def firewall_for(self, outputs: Any) -> FirewallRule:
        return FirewallRule(outputs.subscription_id, outputs.resource_group, outputs.sql_server_name, lambda: "token", self.send)

    def migrate(self, outputs: Any) -> None:
        self.migrated = True


def test_grants_the_app_identity_migrates_and_explains_the_first_admin() -> None:
    azure = Azure()
    text = run(ENV, azure.connect, azure.firewall_for, azure.migrate)
    [(sql, params)] = azure.connection.executed
    assert params == ["func-abc123"]
    assert "CREATE USER ' + @quoted + N' FROM EXTERNAL PROVIDER" in sql
    assert azure.connection.committed and azure.connection.closed and azure.migrated
    assert azure.requests == []  # the firewall already let the deployer in
    assert "https://happy-rock.azurestaticapps.net/admin/jobs" in text
    assert "az staticwebapp users invite --name stapp-abc123 --resource-group rg-demo" in text


def test_opens_the_firewall_for_the_refused_address_and_closes_it_again() -> None:
    azure = Azure(refusals=1)
    run(ENV, azure.connect, azure.firewall_for, azure.migrate)
    url = (
        "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-demo"
        "/providers/Microsoft.Sql/servers/sql-abc123/firewallRules/azd-postprovision?api-version=2025-01-01"
    )
    assert azure.requests == [
        ("PUT", url, {"properties": {"startIpAddress": "203.0.113.7", "endIpAddress": "203.0.113.7"}}),
        ("DELETE", url, None),
    ]
    assert azure.migrated


def test_closes_the_firewall_even_when_the_migrations_fail() -> None:
    azure = Azure(refusals=1)

    def failing_migrate(outputs: Any) -> None:
        raise RuntimeError("migration 0040 failed")

    with pytest.raises(RuntimeError, match="0040"):
        run(ENV, azure.connect, azure.firewall_for, failing_migrate)
    assert [method for method, _, _ in azure.requests] == ["PUT", "DELETE"]


def test_leaves_an_existing_servers_firewall_alone() -> None:
    azure = Azure(refusals=1)
    with pytest.raises(RuntimeError, match="40615"):
        run({**ENV, "AZURE_SQL_SERVER_CREATED": "false"}, azure.connect, azure.firewall_for, azure.migrate)
    assert azure.requests == [] and not azure.migrated


def test_says_which_value_is_missing_outside_azd() -> None:
    azure = Azure()
    with pytest.raises(MissingOutput, match="AZURE_FUNCTION_APP_NAME"):
        run({**ENV, "AZURE_FUNCTION_APP_NAME": ""}, azure.connect, azure.firewall_for, azure.migrate)


def test_refused_address_reads_only_firewall_refusals() -> None:
    assert refused_address(REFUSED) == "203.0.113.7"
    assert refused_address("Login failed for user '<token-identified principal>'. (18456)") is None


def test_migrations_run_with_the_apps_own_settings() -> None:
    azure_env = migration_env(AzdOutputs.from_env(ENV), ENV)
    settings = Settings.from_env(azure_env)
    assert settings.db_backend == "mssql" and settings.sql_use_managed_identity
    assert "Database=jobs" in settings.sql_connection_string


def test_the_grant_takes_the_identity_name_as_its_one_parameter() -> None:
    # CREATE USER cannot take a parameter: the name is bound once, then quoted with QUOTENAME.
    text, params = grant_statement()
    assert params == ("app_identity",)
    assert text.count("?") == 1 and "QUOTENAME(@name)" in text
