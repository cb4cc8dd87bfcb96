"""HTTP triggers for the admin API under /api/admin. Each one hands the request to shared.api."""

import azure.functions as func

from shared.api import jobs, openapi
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
