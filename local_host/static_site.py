"""Serve `static_site/` with the rules of its staticwebapp.config.json (see swa_config for matching)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from local_host.auth import Caller
from local_host.reply import Reply, html_page, redirect
from local_host.request import Request
from local_host.safe_path import resolve_file
from local_host.swa_config import RouteRule, SiteConfig

READ_METHODS = ("GET", "HEAD")
ERROR_PAGES = {
    400: ("Bad request", "The request cannot be served."),
    401: ("Sign in required", "Sign in to see this page."),
    403: ("Forbidden", "Your account does not have a role that may see this page."),
    404: ("Page not found", "There is no page at this address."),
}


class StaticSite:
    def __init__(self, root: Path, config: SiteConfig) -> None:
        self.root = root
        self.config = config

    def serve(self, request: Request, caller: Caller) -> Reply:
        rule = self.config.match_route(request.path, request.method)
        return self.dressed(self._respond(request, rule, caller), rule)

    def dressed(self, reply: Reply, rule: RouteRule | None = None) -> Reply:
        """The site's headers (globalHeaders, then the rule's own) on a reply, as Static Web Apps sends
        them on every response it makes: files, redirects, and its own error and sign-in pages."""
        for name, value in {**self.config.global_headers, **(rule.headers if rule else {})}.items():
            reply.set_header(name, value)
        return reply

    def _error(self, status: int) -> Reply:
        """An error page, or what `responseOverrides` says to do instead."""
        override = self.config.overrides.get(status)
        if override and override.redirect:
            return redirect(override.redirect, override.status_code or 302)
        if override and override.rewrite and (page := resolve_file(self.root, override.rewrite)):
            return self._file(page, override.status_code or status)
        title, message = ERROR_PAGES.get(status, ("Error", "The request failed."))
        return html_page(status, title, message)

    def _respond(self, request: Request, rule: RouteRule | None, caller: Caller) -> Reply:
        if rule and rule.allowed_roles is not None and not rule.allowed_roles & caller.roles:
            return self._error(403 if caller.authenticated else 401)
        if rule and rule.redirect:
            return redirect(rule.redirect, rule.status_code or 302)
        if rule and rule.status_code and rule.status_code >= 400 and not rule.rewrite:
            return self._error(rule.status_code)
        if request.method not in READ_METHODS:
            reply = html_page(405, "Method not allowed", "Pages can only be read.")
            reply.set_header("Allow", ", ".join(READ_METHODS))
            return reply
        file = resolve_file(self.root, rule.rewrite if rule and rule.rewrite else request.path)
        if file is None and self.config.fallback_rewrite and self.config.falls_back(request.path):
            file = resolve_file(self.root, self.config.fallback_rewrite)
        if file is None:
            return self._error(404)
        return self._file(file, rule.status_code if rule and rule.status_code else 200)

    def _file(self, path: Path, status: int) -> Reply:
        try:
            body = path.read_bytes()
        except OSError:
            return html_page(404, *ERROR_PAGES[404])
        return Reply(status, [("Content-Type", self._content_type(path)), ("Cache-Control", "no-cache")], body)

    def _content_type(self, path: Path) -> str:
        suffix = path.suffix.lower()
        if suffix in self.config.mime_types:
            return self.config.mime_types[suffix]
        guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed
