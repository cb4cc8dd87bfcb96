"""GET /api/admin/audit: the audit log, newest first, a page at a time (`before` is a cursor)."""

from __future__ import annotations

import azure.functions as func

from shared.api.endpoint import admin_endpoint
from shared.app_context import get_context
from shared.auth import Identity
from shared.clock import iso_z
from shared.http.requests import query_int
from shared.http.responses import json_response
from shared.jobs.audit import AuditEntry

MAX_LIMIT = 200


def _read(req: func.HttpRequest, identity: Identity) -> func.HttpResponse:
    limit = query_int(req, "limit", 50, 1, MAX_LIMIT)
    before = query_int(req, "before", 0, 1, 999_999_999) or None
    page = get_context().services.audit.page(limit, before)
    return json_response({"ok": True, "entries": [entry_json(entry) for entry in page.entries], "total": page.total, "next_before": page.next_before})


def entry_json(entry: AuditEntry) -> dict[str, object]:
    return {"audit_id": entry.audit_id, "at": iso_z(entry.at), "actor": entry.actor, "action": entry.action, "job_id": entry.job_id, "detail": entry.detail}


handle = admin_endpoint(read=_read)
