"""The Static Web App in infra/ fits static_site/staticwebapp.config.json and the functions behind it:
Standard (linked backends and custom roles), the Function App linked, every API route behind the
config's role rules, and those roles the ones the app checks (ADMIN_ROLE, VIEWER_ROLE)."""

from __future__ import annotations

import json
from typing import Any

import function_app
from shared.config import setting
from tests.deploy import bicep, deployment
from tests.deploy.test_function_metadata import bindings

CONFIG = json.loads((bicep.ROOT / "static_site" / "staticwebapp.config.json").read_text(encoding="utf-8"))
BUILT_IN_ROLES = {"anonymous", "authenticated"}
ROUTE_PREFIX = json.loads((bicep.ROOT / "host.json").read_text(encoding="utf-8"))["extensions"]["http"]["routePrefix"]


def app_roles(name: str) -> set[str]:
    value = deployment.app_settings().get(name, setting(name).default)
    return set(setting(name).parse(value))


def matching_rule(path: str) -> dict[str, Any]:
    """The first route rule that matches, as Static Web Apps picks it (a trailing * matches a prefix)."""
    for rule in CONFIG["routes"]:
        route = rule["route"]
        if route == path or (route.endswith("*") and path.startswith(route[:-1])):
            return rule
    raise AssertionError(f"no route rule matches {path}")


def test_static_web_app_is_standard_and_links_the_function_app() -> None:
    site = bicep.resource(bicep.INFRA / "modules" / "static-web-app.bicep", "site").body
    assert site["sku"] == {"name": "Standard", "tier": "Standard"}
    assert bicep.accessor_path(bicep.module_params("webBackend")["functionAppId"]) == ["api", "outputs", "id"]
    backend = bicep.resource(bicep.INFRA / "modules" / "static-web-app-backend.bicep", "backend").body
    assert backend["properties"]["backendResourceId"] == "functionAppId"


def test_config_roles_are_the_roles_the_app_checks() -> None:
    used = {role for rule in CONFIG["routes"] for role in rule.get("allowedRoles", [])} - BUILT_IN_ROLES
    assert used == app_roles("ADMIN_ROLE") | app_roles("VIEWER_ROLE")


def test_every_api_route_is_behind_a_role_rule_for_admins_and_viewers() -> None:
    routes = [binding["route"] for function in bindings(function_app.app).values() for binding in function if binding["type"] == "httpTrigger"]
    for route in routes:
        rule = matching_rule(f"/{ROUTE_PREFIX}/{route}")
        assert set(rule.get("allowedRoles", [])) == app_roles("ADMIN_ROLE") | app_roles("VIEWER_ROLE"), route
    assert "/api/*" in CONFIG["navigationFallback"]["exclude"]


def test_the_admin_pages_need_a_role_and_the_ops_page_the_admin_role() -> None:
    assert set(matching_rule("/admin/jobs")["allowedRoles"]) == app_roles("ADMIN_ROLE") | app_roles("VIEWER_ROLE")
    assert set(matching_rule("/admin/ops")["allowedRoles"]) == app_roles("ADMIN_ROLE")


def test_the_first_admin_is_invited_to_the_admin_role() -> None:
    from deploy.azd_outputs import AzdOutputs
    from deploy.postprovision import first_admin_instructions

    outputs = AzdOutputs("sub", "rg", "func", "sql.example", "sql", True, "jobs", "stapp-x", "https://x.azurestaticapps.net")
    text = first_admin_instructions(outputs)
    assert f"--roles {sorted(app_roles('ADMIN_ROLE'))[0]} " in text
    assert "https://x.azurestaticapps.net/admin/jobs" in text and "--domain x.azurestaticapps.net" in text
