"""`python -m local_host`: start up, serve until Ctrl-C or SIGTERM, then stop without stranding a job."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from local_host.api import ApiDispatcher
from local_host.functions import UnsupportedFunction, load_functions
from local_host.host_names import answered_names
from local_host.route_templates import RouteTemplateError
from local_host.router import Router
from local_host.server import LocalServer
from local_host.startup import (
    HostOptions,
    StartupError,
    announce_auth,
    check_exposure,
    check_route_prefix,
    default_to_local_auth,
    load_local_settings,
    prepare_app,
)
from local_host.static_site import StaticSite
from local_host.swa_config import ConfigError, load_config
from local_host.timers import ScheduleError, TimerRunner, resolve_schedule
from local_host.work import WorkTracker
from shared.config import SettingsError, get_settings
from shared.db import DatabaseUnavailable
from shared.worker import lifecycle

log = logging.getLogger("local_host")
APP_ROOT = Path(__file__).resolve().parent.parent
# In-flight passes stop claiming and release their jobs on request_stop; this bounds the wait for them.
SHUTDOWN_GRACE_SECONDS = 30.0
STARTUP_ERRORS = (StartupError, SettingsError, DatabaseUnavailable, UnsupportedFunction, RouteTemplateError, ScheduleError, ConfigError, OSError)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    stop = threading.Event()
    _on_signals(stop)  # first: Ctrl-C during start-up (migrations, seeding) then stops cleanly right after it
    try:
        server, timers = _start()
    except STARTUP_ERRORS as err:
        log.error("cannot start: %s", err)
        return 2
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    for timer in timers:
        timer.start()
    print(f"Admin page: {server.base_url}/admin/jobs", flush=True)
    print(f"API:        {server.base_url}/api", flush=True)
    while not stop.wait(0.2):
        pass
    _stop(server, timers)
    return 0


def _start() -> tuple[LocalServer, list[TimerRunner]]:
    check_route_prefix(Path.cwd())
    local_port = load_local_settings(Path.cwd())
    defaulted = default_to_local_auth()
    settings = get_settings()
    options = HostOptions.from_env(APP_ROOT, local_port)
    check_exposure(settings, options.host)
    announce_auth(settings, defaulted, options.host)
    prepare_app()

    import function_app  # after the environment is ready, as Azure imports it with app settings set

    functions = load_functions(function_app.app)
    tracker = WorkTracker()
    timers = [TimerRunner(timer, resolve_schedule(timer), tracker) for timer in functions.timers]
    site = StaticSite(options.static_dir, load_config(options.static_dir))
    router = Router(ApiDispatcher(functions.http), site, settings)
    server = LocalServer(
        (options.host, options.port), router, tracker, trust_principal="platform" in settings.auth_mode, answered_names=answered_names(settings)
    )
    for function in functions.http:
        log.info("http  %-16s /api/%s [%s]", function.name, function.route.template, ", ".join(function.methods or ("all methods",)))
    for timer in timers:
        log.info("timer %-16s %s (next run %s)", timer.timer.name, timer.schedule.expression, timer.next_run().isoformat())
    log.info("static site: %s", options.static_dir)
    return server, timers


def _on_signals(stop: threading.Event) -> None:
    def handle(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            log.info("already stopping; waiting up to %.0f s for running work", SHUTDOWN_GRACE_SECONDS)
        stop.set()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)


def _stop(server: LocalServer, timers: list[TimerRunner]) -> None:
    log.info("stopping: no new requests or timer runs; running work releases or finishes its jobs")
    server.stopping = True  # requests on kept-alive connections now get 503
    for timer in timers:
        timer.stop()
    lifecycle.request_stop()
    server.shutdown()  # no new connections
    still_running = server.tracker.wait_idle(SHUTDOWN_GRACE_SECONDS)
    if still_running:
        log.error(
            "%d request(s) or timer run(s) still running after %.0f s; their jobs' leases will expire and be reaped", still_running, SHUTDOWN_GRACE_SECONDS
        )
    for timer in timers:
        timer.join(1.0)
    server.server_close()
    log.info("stopped")
