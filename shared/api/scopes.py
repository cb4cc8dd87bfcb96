"""GET /api/admin/scopes: known scopes and the default periods, for the enqueue and schedule forms."""

from __future__ import annotations

import azure.functions as func

from shared.api import fields
from shared.api.endpoint import admin_endpoint
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import utc_now
from shared.http.requests import query_int
from shared.http.responses import json_response
from shared.jobs.periods import last_month, last_week

MAX_LIMIT = 1000
MAX_PREFIX = 200


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    scope_type = req.params.get("scope_type") or None
    if scope_type is not None:
        fields.scope_type(scope_type, "invalid_parameter")
    prefix = fields.search_text(req.params.get("q") or "", "q", MAX_PREFIX)
    limit = query_int(req, "limit", 200, 1, MAX_LIMIT)
    found = get_context().services.schedules.known_scopes(scope_type, prefix, limit)
    today = utc_now().date()
    return json_response(
        {
            "ok": True,
            "scopes": [{"scope_type": kind, "scope_key": key} for kind, key in found.scopes],
            "truncated": found.truncated,
            "periods": {"last_week": last_week(today), "last_month": last_month(today)},
        }
    )


handle = admin_endpoint(read=_read)
