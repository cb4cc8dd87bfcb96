"""What the host writes back: a status, headers and a body, whatever produced them."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import azure.functions as func

from shared.http.responses import error_response

# host.json's extensions.http.routePrefix: every HTTP trigger's route lives under it.
API_PREFIX = "/api"
# Framing is the host's job: it sets Content-Length itself and never forwards these from a function.
HOP_BY_HOP = frozenset({"connection", "content-length", "keep-alive", "transfer-encoding", "upgrade"})
PAGE_HEADERS = (
    ("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    def set_header(self, name: str, value: str) -> None:
        """Replace every copy of `name`; an empty value removes it (as staticwebapp.config.json does)."""
        lowered = name.lower()
        self.headers = [(key, val) for key, val in self.headers if key.lower() != lowered]
        if value:
            self.headers.append((name, value))


def from_http_response(response: func.HttpResponse) -> Reply:
    """The function's response as Azure's worker writes it: a mimetype becomes Content-Type when none is set."""
    headers = [(key, value) for key, value in response.headers.items() if key.lower() not in HOP_BY_HOP]
    reply = Reply(response.status_code, headers, response.get_body() or b"")
    if reply.header("content-type") is None and response.mimetype:
        charset = f"; charset={response.charset}" if response.charset else ""
        reply.headers.append(("Content-Type", f"{response.mimetype}{charset}"))
    return reply


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, [("Location", location), ("Cache-Control", "no-store")])


def api_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    """A host-made API error in the app's own JSON shape: `{"ok": false, "error", "code"}`."""
    return from_http_response(error_response(status, code, message, headers))


def html_page(status: int, title: str, message: str) -> Reply:
    """A page the host writes itself. It gets the site's own headers on its way out (Router, StaticSite);
    these are the floor, for a site without a config: no script, style, frame or sniffing."""
    body = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f'<p>{html.escape(message)}</p><p><a href="/admin/jobs">Go to the jobs monitor</a></p></body></html>\n'
    )
    return Reply(status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"), *PAGE_HEADERS], body.encode())


def error_for(path: str, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    """JSON for API callers, a small HTML page for browsers on pages."""
    if is_api_path(path):
        return api_error(status, code, message, headers)
    reply = html_page(status, message, f"HTTP {status}")
    for name, value in (headers or {}).items():
        reply.set_header(name, value)
    return reply


def is_api_path(path: str) -> bool:
    lowered = path.lower()
    return lowered == API_PREFIX or lowered.startswith(API_PREFIX + "/")
