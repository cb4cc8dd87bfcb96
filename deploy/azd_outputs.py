"""The values `azd provision` hands its hooks: the Bicep outputs of infra/main.bicep, as environment
variables, plus azd's own (AZURE_SUBSCRIPTION_ID)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class MissingOutput(KeyError):
    """A value the hook needs is not in the environment; run it through azd."""


@dataclass(frozen=True)
class AzdOutputs:
    subscription_id: str
    resource_group: str
    function_app_name: str
    sql_server_fqdn: str
    sql_server_name: str
    sql_server_created: bool
    sql_database_name: str
    static_web_app_name: str
    static_web_app_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AzdOutputs:
        def need(name: str) -> str:
            value = env.get(name, "").strip()
            if not value:
                raise MissingOutput(f"{name} is not set: run this through `azd provision` (or `azd hooks run postprovision`)")
            return value

        return cls(
            subscription_id=need("AZURE_SUBSCRIPTION_ID"),
            resource_group=need("AZURE_RESOURCE_GROUP"),
            function_app_name=need("AZURE_FUNCTION_APP_NAME"),
            sql_server_fqdn=need("AZURE_SQL_SERVER_FQDN"),
            sql_server_name=need("AZURE_SQL_SERVER_NAME"),
            sql_server_created=need("AZURE_SQL_SERVER_CREATED").lower() == "true",
            sql_database_name=need("AZURE_SQL_DATABASE_NAME"),
            static_web_app_name=need("AZURE_STATIC_WEB_APP_NAME"),
            static_web_app_url=need("AZURE_STATIC_WEB_APP_URL"),
        )

    @property
    def sql_connection_string(self) -> str:
        """The same credential-free string infra/modules/function-app.bicep gives the app."""
        return (
            "Driver={ODBC Driver 18 for SQL Server};"
            f"Server=tcp:{self.sql_server_fqdn},1433;Database={self.sql_database_name};"
            "Encrypt=yes;TrustServerCertificate=no;Connection Timeout=30"
        )
