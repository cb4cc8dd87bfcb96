"""HTTP triggers for the admin API under /api/admin. Each one hands the request to shared.api."""

import azure.functions as func

from shared.api import audit, export, jobs, me, model_calls, openapi
from shared.api import health as health_api
from shared.api import metrics as metrics_api
from shared.api import schedules as schedules_api
from shared.api import scopes as scopes_api

blueprint = func.Blueprint()


@blueprint.route(route="admin/jobs", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_jobs(req: func.HttpRequest) -> func.HttpResponse:
    return jobs.handle(req)


@blueprint.route(route="admin/openapi.json", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_openapi(req: func.HttpRequest) -> func.HttpResponse:
    return openapi.handle(req)


@blueprint.route(route="admin/schedules", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_schedules(req: func.HttpRequest) -> func.HttpResponse:
    return schedules_api.handle(req)


@blueprint.route(route="admin/scopes", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_scopes(req: func.HttpRequest) -> func.HttpResponse:
    return scopes_api.handle(req)


@blueprint.route(route="admin/metrics", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_metrics(req: func.HttpRequest) -> func.HttpResponse:
    return metrics_api.handle_metrics(req)


@blueprint.route(route="admin/usage", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_usage(req: func.HttpRequest) -> func.HttpResponse:
    return metrics_api.handle_usage(req)


@blueprint.route(route="admin/health", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_health(req: func.HttpRequest) -> func.HttpResponse:
    return health_api.handle(req)


@blueprint.route(route="admin/me", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_me(req: func.HttpRequest) -> func.HttpResponse:
    return me.handle(req)


@blueprint.route(route="admin/jobs/export", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_jobs_export(req: func.HttpRequest) -> func.HttpResponse:
    return export.handle_jobs(req)


@blueprint.route(route="admin/audit", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_audit(req: func.HttpRequest) -> func.HttpResponse:
    return audit.handle(req)


@blueprint.route(route="admin/audit/export", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_audit_export(req: func.HttpRequest) -> func.HttpResponse:
    return export.handle_audit(req)


@blueprint.route(route="admin/model-calls", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_model_calls(req: func.HttpRequest) -> func.HttpResponse:
    return model_calls.handle_calls(req)


@blueprint.route(route="admin/reports", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_reports(req: func.HttpRequest) -> func.HttpResponse:
    return model_calls.handle_reports(req)


@blueprint.route(route="admin/models", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_models(req: func.HttpRequest) -> func.HttpResponse:
    return model_calls.handle_models(req)
