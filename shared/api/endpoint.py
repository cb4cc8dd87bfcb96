"""How every admin endpoint takes a call, in one place: the allowed methods (else 405 with Allow),
then who is calling (401/403), then, for a state change, the CSRF checks and the JSON body.
Handlers receive only what is left to decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import azure.functions as func

from shared.auth import Identity, authorize
from shared.config import get_settings
from shared.http.origins import check_same_origin
from shared.http.requests import json_body
from shared.http.responses import ApiError, api_handler

Reader = Callable[[func.HttpRequest, Identity], func.HttpResponse]
Writer = Callable[[dict[str, Any], Identity], func.HttpResponse]
Handler = Callable[[func.HttpRequest], func.HttpResponse]


def admin_endpoint(read: Reader | None = None, write: Writer | None = None) -> Handler:
    """GET goes to `read` (viewers allowed), POST to `write` (admins only, JSON body, same origin)."""
    allowed = ", ".join(method for method, handler in (("GET", read), ("POST", write)) if handler)

    @api_handler
    def handle(req: func.HttpRequest) -> func.HttpResponse:
        method = req.method.upper()
        if method == "GET" and read is not None:
            return read(req, authorize(req, get_settings(), write=False))
        if method == "POST" and write is not None:
            settings = get_settings()
            identity = authorize(req, settings, write=True)
            check_same_origin(req, settings.allowed_origins, settings.trusted_proxy)
            return write(json_body(req), identity)
        raise ApiError(405, "method_not_allowed", f"Use {allowed}", {"Allow": allowed})

    return handle
