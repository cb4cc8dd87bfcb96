"""The function metadata the deployment relies on, read from each function's get_function_json() on
the app function_app.py builds: HTTP routes under /api that Static Web Apps proxies without function
keys, the timer's %WORKER_SCHEDULE% setting, and identity-based connections for storage triggers."""

from __future__ import annotations

import json
import re
from typing import Any

import azure.functions as func

import function_app
from local_host.functions import registered_functions
from shared.config import setting
from tests.deploy import deployment

_SETTING_REFERENCE = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)%")
# A storage trigger's `connection` is a prefix; identity-based, it needs the service URI it uses.
SERVICE_URI = {"queueTrigger": "queueServiceUri", "blobTrigger": "blobServiceUri", "queue": "queueServiceUri", "blob": "blobServiceUri"}


def bindings(app: func.FunctionApp) -> dict[str, list[dict[str, Any]]]:
    return {function.get_function_name(): json.loads(function.get_function_json())["bindings"] for function in registered_functions(app)}


def deployment_problems(app: func.FunctionApp) -> list[str]:
    """What a function needs from the Function App's settings that infra/ does not set."""
    source = deployment.app_settings_source()
    problems = []
    for name, function_bindings in bindings(app).items():
        for binding in function_bindings:
            for reference in _SETTING_REFERENCE.findall(json.dumps(binding)):
                if reference not in source:
                    problems.append(f"{name}: %{reference}% is not an app setting")
            if binding["type"] in SERVICE_URI:
                prefix = binding.get("connection") or "AzureWebJobsStorage"
                if f"{prefix}__{SERVICE_URI[binding['type']]}" not in source:
                    problems.append(f"{name}: connection {prefix} has no {prefix}__{SERVICE_URI[binding['type']]}")
    return problems


# Every function the app registers, as the Functions host reads it. No HTTP function lists methods:
# each handler answers a method it does not take with its own JSON 405 (the host would give a bare
# 404), so the binding takes them all.
HTTP_ROUTES = {
    "admin_jobs": "admin/jobs",
    "admin_openapi": "admin/openapi.json",
    "admin_schedules": "admin/schedules",
    "admin_scopes": "admin/scopes",
    "admin_metrics": "admin/metrics",
    "admin_usage": "admin/usage",
    "admin_health": "admin/health",
    "admin_me": "admin/me",
    "admin_jobs_export": "admin/jobs/export",
    "admin_audit": "admin/audit",
    "admin_audit_export": "admin/audit/export",
    "admin_model_calls": "admin/model-calls",
    "admin_reports": "admin/reports",
    "admin_models": "admin/models",
    "worker_run_now": "exec/worker/run",
}
TIMER = {"direction": "IN", "type": "timerTrigger", "name": "timer", "schedule": "%WORKER_SCHEDULE%", "runOnStartup": False, "useMonitor": True}
# The queue trigger on the host's storage: identity-based in Azure (AzureWebJobsStorage__queueServiceUri).
QUEUE = {"direction": "IN", "type": "queueTrigger", "name": "message", "queueName": "%JOB_QUEUE_NAME%", "connection": "AzureWebJobsStorage"}


def test_every_function_has_exactly_the_metadata_the_deployment_expects() -> None:
    expected = {
        name: [
            {"direction": "IN", "type": "httpTrigger", "name": "req", "authLevel": "ANONYMOUS", "route": route},
            {"direction": "OUT", "type": "http", "name": "$return"},
        ]
        for name, route in HTTP_ROUTES.items()
    }
    assert bindings(function_app.app) == expected | {"worker_timer": [TIMER], "worker_queue": [QUEUE]}


def test_http_functions_are_anonymous_routes_under_admin_or_exec() -> None:
    # Static Web Apps forwards /api/* to its linked backend without function keys, so any other auth
    # level would answer 401; the functions authorize the caller themselves (AUTH_MODE=platform).
    http = [binding for function in bindings(function_app.app).values() for binding in function if binding["type"] == "httpTrigger"]
    assert len(http) >= 10
    for binding in http:
        assert binding["authLevel"] == "ANONYMOUS", binding
        assert re.fullmatch(r"(admin|exec)/[a-z0-9/._-]+", binding["route"]), binding
        assert set(binding.get("methods") or ()) <= {"GET", "POST"}, binding


def test_the_worker_timer_reads_its_schedule_from_the_setting_infra_sets() -> None:
    timers = [binding for function in bindings(function_app.app).values() for binding in function if binding["type"] == "timerTrigger"]
    assert timers == [TIMER]
    schedule = deployment.app_settings()["WORKER_SCHEDULE"]
    assert setting("WORKER_SCHEDULE").parse(schedule) == schedule


def test_every_setting_and_connection_the_functions_use_is_deployed() -> None:
    assert deployment_problems(function_app.app) == []


def test_the_queue_trigger_reads_the_queue_infra_provisions() -> None:
    # infra/ creates the queue under this name and grants the app's identity the queue role.
    # Its name is the one the app uses when the setting is absent, so a local run and Azure agree.
    assert deployment.app_settings()["JOB_QUEUE_NAME"] == setting("JOB_QUEUE_NAME").default
    assert deployment_problems(function_app.app) == []


def test_a_trigger_on_a_connection_infra_does_not_set_is_reported() -> None:
    app = func.FunctionApp()

    @app.queue_trigger(arg_name="message", queue_name="%OTHER_QUEUE%", connection="ReportsStorage")
    def run_job(message: func.QueueMessage) -> None: ...

    assert deployment_problems(app) == [
        "run_job: %OTHER_QUEUE% is not an app setting",
        "run_job: connection ReportsStorage has no ReportsStorage__queueServiceUri",
    ]
