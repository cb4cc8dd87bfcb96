"""PLACEHOLDER: GET /api/admin/openapi.json serves the OpenAPI document (being written)."""

from __future__ import annotations

import azure.functions as func

from shared.http.responses import api_handler, json_response


@api_handler
def handle(req: func.HttpRequest) -> func.HttpResponse:
    return json_response({"openapi": "3.1.0"})
