"""GET /api/admin/scopes: known scopes and the default periods, for the enqueue and schedule forms."""

from __future__ import annotations

import azure.functions as func

from shared.api import rules
from shared.api.endpoint import admin_endpoint
from shared.api.query import Param, Query
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import utc_now
from shared.http.responses import json_response
from shared.jobs.periods import last_month, last_week

MAX_LIMIT = 1000
QUERY = Query(
    Param("scope_type", rules.SCOPE_TYPE_PARAMETER),
    Param("q", rules.SEARCH, description="Scope key prefix."),
    Param("limit", rules.Whole(1, MAX_LIMIT), default=200),
)


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    values = QUERY.parse(req.params)
    found = get_context().services.schedules.known_scopes(values["scope_type"], values["q"] or "", values["limit"])
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
