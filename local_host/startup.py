"""What happens before the host listens: settings from local.settings.json, the auth default, the database."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from local_host.reply import API_PREFIX
from shared.app_context import AppContext, get_context
from shared.auth import local
from shared.config import Settings
from shared.demo.seed import seed_if_empty

log = logging.getLogger(__name__)
LOCAL_SETTINGS_FILE = "local.settings.json"
HOST_JSON = "host.json"
DEFAULT_PORT = 7071


class StartupError(ValueError):
    """The host cannot start; the message says what to change."""


@dataclass(frozen=True)
class HostOptions:
    host: str
    port: int  # 0 picks a free port; the printed URLs show the real one
    static_dir: Path

    @classmethod
    def from_env(cls, app_root: Path, local_port: int | None) -> HostOptions:
        host = os.environ.get("HOST", "127.0.0.1").strip() or "127.0.0.1"
        raw_port = os.environ.get("PORT", str(local_port or DEFAULT_PORT)).strip()
        if not raw_port.isdigit() or not 0 <= int(raw_port) <= 65535:
            raise StartupError(f"setting PORT={raw_port!r} is invalid: must be a whole number from 0 to 65535")
        static_dir = Path(os.environ.get("STATIC_DIR") or app_root / "static_site")
        return cls(host, int(raw_port), static_dir.resolve())


def load_local_settings(folder: Path) -> int | None:
    """Copy local.settings.json's Values into the environment, as Core Tools does; the shell wins.

    Like Core Tools, it reads the file from the folder it runs in (`make run` runs in the app's root).

    Returns its Host.LocalHttpPort, the port Core Tools would listen on, when one is set.
    """
    path = folder / LOCAL_SETTINGS_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        values = data.get("Values", {})
        port = data.get("Host", {}).get("LocalHttpPort")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as err:
        raise StartupError(f"{path} is not a readable settings file: {err}") from None
    if data.get("IsEncrypted"):
        raise StartupError(f"{path} is encrypted; the local host reads only plain values")
    if not isinstance(values, dict) or not all(isinstance(value, str) for value in values.values()):
        raise StartupError(f"{path}: Values must be an object of strings")
    for name, value in values.items():
        os.environ.setdefault(name, value)
    log.info("read settings from %s (environment variables take precedence)", path)
    return port if isinstance(port, int) else None


def check_route_prefix(folder: Path) -> None:
    """The host serves HTTP triggers under /api; refuse to start if host.json moves them elsewhere."""
    path = folder / HOST_JSON
    if not path.is_file():
        return
    try:
        prefix = json.loads(path.read_text(encoding="utf-8")).get("extensions", {}).get("http", {}).get("routePrefix", "api")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as err:
        raise StartupError(f"{path} is not readable JSON: {err}") from None
    if prefix != API_PREFIX.strip("/"):
        raise StartupError(f"{path} sets extensions.http.routePrefix to {prefix!r}; the local host serves functions under {API_PREFIX} only")


def default_to_local_auth() -> bool:
    """AUTH_MODE=local when the user set no AUTH_MODE at all; an explicit empty value stays (fail closed)."""
    if "AUTH_MODE" in os.environ:
        return False
    os.environ["AUTH_MODE"] = "local"
    return True


def announce_auth(settings: Settings, defaulted: bool, host: str) -> None:
    if "local" in settings.auth_mode:
        why = " (AUTH_MODE was not set, so the local host set AUTH_MODE=local)" if defaulted else ""
        log.info("local auth mode is on%s: clients on this machine (loopback) are admins, every other client is not", why)
        if not listens_on_loopback(host):
            log.warning("HOST=%s accepts other machines' connections; they get no admin access in local mode", host)
    elif not settings.auth_mode:
        log.warning("AUTH_MODE is empty: every admin API call gets 401 until it names a mode")
    else:
        log.info("auth modes: %s", ", ".join(settings.auth_mode))


def check_exposure(settings: Settings, host: str) -> None:
    """Platform mode believes x-ms-client-principal, which only a proxy in front can vouch for: refuse to
    offer that belief to other machines unless TRUSTED_PROXY says such a proxy strips clients' copies."""
    if "platform" in settings.auth_mode and not settings.trusted_proxy and not listens_on_loopback(host):
        raise StartupError(
            f"AUTH_MODE includes platform and HOST={host} accepts connections from other machines, but nothing in front "
            "of the local host strips a forged x-ms-client-principal, so any of them could claim the admin role. Listen "
            "on 127.0.0.1, or set TRUSTED_PROXY=true if every request comes through a proxy that strips that header."
        )


def listens_on_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def prepare_app() -> AppContext:
    """Turn on local auth, migrate the database, and seed demo data into a SQLite file made on this start.

    Never into a database that existed before (someone's data, emptied or not) nor into SQL Server.
    """
    local.enable()
    context = get_context()
    if context.created_database and context.settings.demo_data:
        seeded = seed_if_empty(context.db)
        log.info("seeded %d demo jobs with their snapshots and source rows into the new database (DEMO_DATA=false turns this off)", seeded)
    elif context.created_database:
        log.info("the new database is empty (DEMO_DATA is off)")
    log.info("report generator: %s", describe_generator(context.settings))
    return context


def describe_generator(settings: Settings) -> str:
    if settings.report_generator == "azure_openai":
        return f"Azure OpenAI, deployment {settings.azure_openai_deployment} at {settings.azure_openai_endpoint}"
    if settings.report_generator == "openai":
        return f"OpenAI-compatible model {settings.openai_model} at {settings.openai_base_url}"
    return (
        "offline: reports are a deterministic summary computed from the source rows, not AI output (set REPORT_GENERATOR=azure_openai or openai to use a model)"
    )
