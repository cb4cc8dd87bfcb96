"""Which part of the host answers a request: the API, the /.auth emulation, or the static site."""

from __future__ import annotations

from local_host.api import ApiDispatcher
from local_host.auth import AUTH_PREFIX, handle_auth, identify
from local_host.reply import Reply, error_for, is_api_path
from local_host.request import Request
from local_host.static_site import StaticSite
from shared.config import Settings


class Router:
    def __init__(self, api: ApiDispatcher, site: StaticSite, settings: Settings) -> None:
        self.api = api
        self.site = site
        self.settings = settings

    def handle(self, request: Request) -> Reply:
        # /api is authorized by the functions themselves, the same code as in Azure, so callers get its
        # JSON errors; staticwebapp.config.json's role rules guard the pages.
        if is_api_path(request.path):
            return self.api.dispatch(request)
        caller = identify(request, self.settings)
        if request.path.lower().startswith(AUTH_PREFIX):
            return self.site.dressed(handle_auth(request, caller))
        return self.site.serve(request, caller)

    def refusal(self, path: str, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
        """An error the host itself answers with: the API's JSON under /api, else a page with the site's headers."""
        reply = error_for(path, status, code, message, headers)
        return reply if is_api_path(path) else self.site.dressed(reply)
