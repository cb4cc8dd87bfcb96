"""HTTP triggers for the admin API under /api/admin. Each one hands the request to shared.api."""

import azure.functions as func

from shared.api import jobs, openapi

blueprint = func.Blueprint()


@blueprint.route(route="admin/jobs", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_jobs(req: func.HttpRequest) -> func.HttpResponse:
    return jobs.handle(req)


@blueprint.route(route="admin/openapi.json", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def admin_openapi(req: func.HttpRequest) -> func.HttpResponse:
    return openapi.handle(req)
