"""Dispatch /api requests to the app's HTTP triggers, as `func.HttpRequest` in and `func.HttpResponse` out."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

import azure.functions as func

from local_host.functions import HttpFunction
from local_host.reply import API_PREFIX, Reply, api_error, from_http_response
from local_host.request import Request

log = logging.getLogger(__name__)


class ApiDispatcher:
    def __init__(self, functions: tuple[HttpFunction, ...]) -> None:
        self.functions = functions

    def dispatch(self, request: Request) -> Reply:
        route_path = request.path[len(API_PREFIX) :]
        matches = [(function, params) for function in self.functions if (params := function.route.match(route_path)) is not None]
        if not matches:
            return api_error(404, "not_found", f"No API route matches {request.path}")
        for function, params in matches:
            if function.methods is None or request.method in function.methods:
                return self._call(function, request, params)
        allowed = ", ".join(dict.fromkeys(method for function, _ in matches for method in function.methods or ()))
        return api_error(405, "method_not_allowed", f"Use {allowed}", {"Allow": allowed})

    def _call(self, function: HttpFunction, request: Request, route_params: dict[str, str]) -> Reply:
        http_request = func.HttpRequest(
            method=request.method,
            url=request.url,
            headers=_merged_headers(request.headers),
            params=dict(parse_qsl(request.query, keep_blank_values=True)),
            route_params=route_params,
            body=request.body,
        )
        try:
            response = function.call(**{function.arg_name: http_request})
        except Exception:
            log.exception("function %s raised", function.name)
            return api_error(500, "internal_error", "Internal error; the details are in the server log.")
        if not isinstance(response, func.HttpResponse):
            log.error("function %s returned %s, not an HttpResponse", function.name, type(response).__name__)
            return api_error(500, "internal_error", "Internal error; the details are in the server log.")
        return from_http_response(response)


def _merged_headers(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Repeated headers joined with ', ' (RFC 9110), since HttpRequest takes one value per name."""
    merged: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged
