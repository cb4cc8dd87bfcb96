"""Hosts shared across tests: starting one takes about a second (migrate, seed, import the app)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.host import NEVER, Host, start_host

ECHO_APP = Path(__file__).resolve().parent / "echo_app"  # a function app of its own, to test the host's dispatch
SECRET = f"TOP-SECRET-{uuid.uuid4().hex}"
EXTRA_HOST_NAME = "devbox.test"
SITE_CONFIG = {
    "routes": [
        {"route": "/", "redirect": "/admin/jobs", "statusCode": 301},
        {"route": "/admin/jobs", "rewrite": "/admin/jobs.html", "allowedRoles": ["admin"]},
        {"route": "/admin/secret*", "allowedRoles": ["superuser"]},
        {"route": "/admin/*", "allowedRoles": ["admin"]},
        {"route": "/assets/*.js", "headers": {"Cache-Control": "public, max-age=60", "X-Frame-Options": ""}},
        {"route": "/old-docs/*", "redirect": "/docs/guide.html", "statusCode": 308},
        {"route": "/gone", "statusCode": 404},
        {"route": "/submit", "methods": ["POST"], "redirect": "/docs/guide.html"},
    ],
    "navigationFallback": {"rewrite": "/index.html", "exclude": ["/assets/*", "*.{css,png}"]},
    "responseOverrides": {
        "401": {"redirect": "/.auth/login/aad?post_login_redirect_uri=.referrer", "statusCode": 302},
        "403": {"rewrite": "/forbidden.html"},
        "404": {"rewrite": "/404.html"},
    },
    "globalHeaders": {"X-Frame-Options": "DENY", "Content-Security-Policy": "default-src 'self'"},
    "mimeTypes": {".weird": "application/x-weird"},
}
SITE_FILES = {
    "index.html": "<h1>app shell</h1>",
    "admin/jobs.html": "<h1>jobs page</h1>",
    "admin/secret/index.html": "<h1>superusers only</h1>",
    "assets/app.js": "console.log('app');",
    "assets/data.weird": "weird data",
    "docs/guide.html": "<h1>guide</h1>",
    "404.html": "<h1>custom not found</h1>",
    "forbidden.html": "<h1>custom forbidden</h1>",
}


def write_site(root: Path, config: dict[str, object] | None) -> Path:
    """A static site in a temp folder, a secret file beside it, and symlinks that point out of it."""
    site = root / "site"
    for name, text in SITE_FILES.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    if config is not None:
        (site / "staticwebapp.config.json").write_text(json.dumps(config), encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    os.symlink(root / "secret.txt", site / "leak.txt")
    os.symlink(root, site / "leakdir")
    return site


@pytest.fixture(scope="session")
def site_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """The real app in local mode (AUTH_MODE unset), serving a temp site with every config feature."""
    root = tmp_path_factory.mktemp("site_host")
    host = start_host(root, {"AUTH_MODE": None, "STATIC_DIR": str(write_site(root, SITE_CONFIG))})
    yield host
    host.stop()


@pytest.fixture(scope="session")
def local_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """`make run` as users start it: the real app and site in local mode, with no timer pass to change jobs,
    and one extra name of this machine to answer to."""
    root = tmp_path_factory.mktemp("local_host")
    host = start_host(root, {"AUTH_MODE": None, "STATIC_DIR": None, "WORKER_SCHEDULE": NEVER, "LOCAL_ALLOWED_HOSTS": EXTRA_HOST_NAME})
    yield host
    host.stop()
