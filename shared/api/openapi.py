"""GET /api/admin/openapi.json: the API's own description. Public: it holds no data."""

from __future__ import annotations

from functools import lru_cache

import azure.functions as func

from shared.api.openapi_spec import document
from shared.http.responses import ApiError, api_handler, json_response


@lru_cache(maxsize=1)
def _document() -> dict:
    return document()


@api_handler
def handle(req: func.HttpRequest) -> func.HttpResponse:
    if req.method.upper() != "GET":
        raise ApiError(405, "method_not_allowed", "Use GET", {"Allow": "GET"})
    return json_response(_document())
