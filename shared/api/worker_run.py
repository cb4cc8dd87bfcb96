"""POST /api/exec/worker/run: a manual worker pass, on the path the old cron used."""

from __future__ import annotations

import azure.functions as func

from shared.api import ops_jobs
from shared.auth import authorize
from shared.config import get_settings
from shared.http.requests import check_same_origin
from shared.http.responses import ApiError, api_handler, json_response
from shared.worker.runner import run_manual_pass


@api_handler
def handle(req: func.HttpRequest) -> func.HttpResponse:
    if req.method.upper() != "POST":
        raise ApiError(405, "method_not_allowed", "Use POST", {"Allow": "POST"})
    settings = get_settings()
    identity = authorize(req, settings, write=True)
    check_same_origin(req, settings.allowed_origins)
    run = run_manual_pass(trigger="http", actor=identity.name).to_dict()
    ops_jobs.record_worker_run(identity.name, run)
    return json_response({"ok": True, "run": run})
