"""The azd post-provision hook (azure.yaml): give the Function App's identity its database user, run
the migrations out of band, and say where the site is and how to invite the first admin.

Runs on the deployer's machine as the SQL server's Entra admin (infra/ makes the deployer that), with
the Entra token of whoever is signed in to azd or the Azure CLI. Needs Microsoft's ODBC Driver 18.
Every step is idempotent, so `azd provision` can run again at any time.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from deploy.azd_outputs import AzdOutputs, MissingOutput
from deploy.sql_firewall import ARM_SCOPE, FirewallRule, refused_address
from shared.db.queries import parse_named_queries

log = logging.getLogger("postprovision")
GRANT_SQL = Path(__file__).with_name("sql") / "grant_app_identity.sql"
ROOT = Path(__file__).resolve().parents[1]

Connect = Callable[[str], Any]


def grant_statement() -> tuple[str, tuple[str, ...]]:
    query = parse_named_queries(GRANT_SQL.read_text(encoding="utf-8"))["grant_app_identity"]
    return query.text, query.params


def connect_with_entra(connection_string: str) -> Any:
    from shared.db.mssql import MssqlConnector

    return MssqlConnector(connection_string, use_managed_identity=True).connect()


def grant_app_identity(conn: Any, function_app_name: str) -> None:
    """A system-assigned identity's database user is named after its app."""
    text, params = grant_statement()
    values = {"app_identity": function_app_name}
    cursor = conn.cursor()
    cursor.execute(text, [values[name] for name in params])
    conn.commit()


def migration_env(outputs: AzdOutputs, env: Mapping[str, str]) -> dict[str, str]:
    """The app's own settings for `python -m shared.db.migrate`, pointed at the new database."""
    return {
        **env,
        "DB_BACKEND": "mssql",
        "SQL_CONNECTION_STRING": outputs.sql_connection_string,
        "SQL_USE_MANAGED_IDENTITY": "true",
    }


def run_migrations(outputs: AzdOutputs, env: Mapping[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "shared.db.migrate"], check=True, cwd=ROOT, env=migration_env(outputs, env))


def first_admin_instructions(outputs: AzdOutputs) -> str:
    domain = outputs.static_web_app_url.removeprefix("https://")
    return "\n".join(
        (
            f"The admin site: {outputs.static_web_app_url}/admin/jobs",
            "Invite the first admin (a Static Web Apps role invitation; open the link it prints while signed in as that person):",
            f"  az staticwebapp users invite --name {outputs.static_web_app_name} --resource-group {outputs.resource_group} \\",
            f"    --authentication-provider aad --user-details ADMIN@EXAMPLE.COM --roles admin --domain {domain} \\",
            "    --invitation-expiration-in-hours 48",
            "Or in the portal: the Static Web App > Role management > Invite. Give read-only users the role viewer.",
        )
    )


def open_database_connection(outputs: AzdOutputs, connect: Connect, firewall: FirewallRule) -> tuple[Any, bool]:
    """A connection as the deployer; opens the firewall for the deployer's address when the server
    refuses it and infra/ created the server. The flag says whether a rule was added."""
    try:
        return connect(outputs.sql_connection_string), False
    except Exception as exc:
        address = refused_address(str(exc))
        if address is None or not outputs.sql_server_created:
            raise
        log.info("allowing %s through the SQL firewall while this hook runs", address)
        firewall.allow(address)
        return connect(outputs.sql_connection_string), True


def run(env: Mapping[str, str], connect: Connect, firewall_for: Callable[[AzdOutputs], FirewallRule], migrate: Callable[[AzdOutputs], None]) -> str:
    outputs = AzdOutputs.from_env(env)
    firewall = firewall_for(outputs)
    conn, opened = open_database_connection(outputs, connect, firewall)
    try:
        grant_app_identity(conn, outputs.function_app_name)
        conn.close()
        log.info("database user %s has its roles", outputs.function_app_name)
        migrate(outputs)
    finally:
        if opened:
            firewall.remove()
    return first_admin_instructions(outputs)


def _arm_firewall(outputs: AzdOutputs) -> FirewallRule:
    from azure.identity import DefaultAzureCredential

    credential = DefaultAzureCredential()
    return FirewallRule(outputs.subscription_id, outputs.resource_group, outputs.sql_server_name, lambda: credential.get_token(ARM_SCOPE).token)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    env = dict(os.environ)
    try:
        print(run(env, connect_with_entra, _arm_firewall, lambda outputs: run_migrations(outputs, env)))
    except MissingOutput as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
