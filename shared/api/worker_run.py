"""POST /api/exec/worker/run: a manual worker pass, on the path the old cron used."""

from __future__ import annotations

from typing import Any

import azure.functions as func

from shared.api.endpoint import admin_endpoint
from shared.auth import Identity
from shared.http.responses import ApiError, json_response
from shared.worker.runner import run_manual_pass


def _run(body: dict[str, Any], identity: Identity) -> func.HttpResponse:
    if body:
        raise ApiError(400, "unknown_field", f"This call takes an empty JSON object; unknown field(s): {', '.join(sorted(body))}")
    return json_response({"ok": True, "run": run_manual_pass(trigger="http", actor=identity.name).to_dict()})


handle = admin_endpoint(write=_run)
