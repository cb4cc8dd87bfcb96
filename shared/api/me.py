"""GET /api/admin/me: who the page is talking for, and whether it may act (a viewer may not)."""

from __future__ import annotations

import azure.functions as func

from shared.api.endpoint import admin_endpoint
from shared.auth import Identity
from shared.http.responses import json_response


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    return json_response({"ok": True, "name": identity.name, "mode": identity.mode, "can_write": identity.can_write})


handle = admin_endpoint(read=_read)
