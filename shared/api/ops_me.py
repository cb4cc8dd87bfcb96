"""GET /api/admin/me: who the page is talking for, and whether it may act (a viewer may not)."""

from __future__ import annotations

import azure.functions as func

from shared.auth import authorize
from shared.config import get_settings
from shared.http.responses import ApiError, api_handler, json_response


@api_handler
def handle(req: func.HttpRequest) -> func.HttpResponse:
    if req.method.upper() != "GET":
        raise ApiError(405, "method_not_allowed", "Use GET", {"Allow": "GET"})
    identity = authorize(req, get_settings(), write=False)
    return json_response({"ok": True, "name": identity.name, "mode": identity.mode, "can_write": identity.can_write})
