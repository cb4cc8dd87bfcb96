"""`python -m local_host`: start up, serve until Ctrl-C or SIGTERM, then stop without stranding a job."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from local_host.api import ApiDispatcher
from local_host.azurite import DEVELOPMENT_STORAGE, Azurite, AzuriteError
from local_host.functions import UnsupportedFunction, load_functions
from local_host.host_names import answered_names
from local_host.queues import QueueConfigError, QueueOptions, QueueRunner
from local_host.route_templates import RouteTemplateError
from local_host.router import Router
from local_host.server import LocalServer
from local_host.settings_refs import UnresolvedSetting
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
from shared.app_context import get_context
from shared.config import Settings, SettingsError, get_settings
from shared.db import DatabaseUnavailable
from shared.queue.storage import CONNECTION, service_client
from shared.worker import lifecycle

log = logging.getLogger("local_host")
APP_ROOT = Path(__file__).resolve().parent.parent
# In-flight passes stop claiming and release their jobs on request_stop; this bounds the wait for them.
SHUTDOWN_GRACE_SECONDS = 30.0
STARTUP_ERRORS = (
    StartupError,
    SettingsError,
    DatabaseUnavailable,
    UnsupportedFunction,
    RouteTemplateError,
    ScheduleError,
    ConfigError,
    QueueConfigError,
    UnresolvedSetting,
    OSError,
)
AZURITE_PORT = 10001  # Azurite's own default queue port, which UseDevelopmentStorage=true points at


@dataclass
class Running:
    server: LocalServer
    timers: list[TimerRunner]
    queues: list[QueueRunner] = field(default_factory=list)
    azurite: Azurite | None = None

    def runners(self) -> list[TimerRunner | QueueRunner]:
        return [*self.timers, *self.queues]


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("azure.core.pipeline.policies.http_logging_policy").setLevel(logging.WARNING)  # every storage request otherwise
    stop = threading.Event()
    _on_signals(stop)  # first: Ctrl-C during start-up (migrations, seeding) then stops cleanly right after it
    azurite: list[Azurite] = []
    try:
        running = _start(azurite)
    except STARTUP_ERRORS as err:
        log.error("cannot start: %s", err)
        for emulator in azurite:
            emulator.stop()
        return 2
    threading.Thread(target=running.server.serve_forever, name="http", daemon=True).start()
    for runner in running.runners():
        runner.start()
    print(f"Admin page: {running.server.base_url}/admin/jobs", flush=True)
    print(f"API:        {running.server.base_url}/api", flush=True)
    while not stop.wait(0.2):
        pass
    _stop(running)
    return 0


def _start(azurite: list[Azurite]) -> Running:
    check_route_prefix(Path.cwd())
    local_port = load_local_settings(Path.cwd())
    defaulted = default_to_local_auth()
    emulator = _storage_for_the_queue(get_settings())
    if emulator is not None:
        azurite.append(emulator)
    settings = get_settings()
    options = HostOptions.from_env(APP_ROOT, local_port)
    check_exposure(settings, options.host)
    announce_auth(settings, defaulted, options.host)
    prepare_app()

    import function_app  # after the environment is ready, as Azure imports it with app settings set

    functions = load_functions(function_app.app)
    tracker = WorkTracker()
    timers = [TimerRunner(timer, resolve_schedule(timer), tracker) for timer in functions.timers]
    queues: list[QueueRunner] = []
    if settings.job_dispatch == "queue" and functions.queues:
        queue_options = QueueOptions.from_host_json(APP_ROOT / "host.json")
        service = service_client()
        queues = [QueueRunner(function, service, queue_options, tracker) for function in functions.queues]
    site = StaticSite(options.static_dir, load_config(options.static_dir))
    router = Router(ApiDispatcher(functions.http), site, settings)
    server = LocalServer(
        (options.host, options.port), router, tracker, trust_principal="platform" in settings.auth_mode, answered_names=answered_names(settings)
    )
    for function in functions.http:
        log.info("http  %-16s /api/%s [%s]", function.name, function.route.template, ", ".join(function.methods or ("all methods",)))
    for timer in timers:
        log.info("timer %-16s %s (next run %s)", timer.timer.name, timer.schedule.expression, timer.next_run().isoformat())
    for runner in queues:
        log.info("queue %-16s %s (polling up to every %g s)", runner.function.name, runner.queue_name, runner.options.max_polling_interval)
    log.info("static site: %s", options.static_dir)
    return Running(server, timers, queues, azurite[0] if azurite else None)


def _storage_for_the_queue(settings: Settings) -> Azurite | None:
    """Start Azurite unless the queue is off or AzureWebJobsStorage names another account; when it
    cannot start, say so and run jobs on the timer alone (JOB_DISPATCH=timer)."""
    configured = os.environ.get(CONNECTION, "").strip()
    if settings.job_dispatch != "queue" or (configured and configured != DEVELOPMENT_STORAGE):
        return None
    port = int(os.environ.get("AZURITE_QUEUE_PORT") or AZURITE_PORT)
    try:
        emulator = Azurite(port, location=Path(settings.sqlite_path).resolve().parent / "azurite").start()
    except (AzuriteError, OSError) as err:
        log.warning(
            "WARNING: Azurite (the storage emulator) could not start: %s. Jobs now start on the worker timer (%s) instead of within "
            "seconds of being queued; `make system-deps` installs Azurite.",
            err,
            settings.worker_schedule,
        )
        os.environ["JOB_DISPATCH"] = "timer"
        get_settings.cache_clear()
        return None
    os.environ[CONNECTION] = emulator.connection_string
    return emulator


def _on_signals(stop: threading.Event) -> None:
    def handle(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            log.info("already stopping; waiting up to %.0f s for running work", SHUTDOWN_GRACE_SECONDS)
        stop.set()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)


def _stop(running: Running) -> None:
    server = running.server
    log.info("stopping: no new requests, timer runs or queue messages; running work releases or finishes its jobs")
    server.stopping = True  # requests on kept-alive connections now get 503
    for runner in running.runners():
        runner.stop()
    lifecycle.request_stop()
    server.shutdown()  # no new connections
    still_running = server.tracker.wait_idle(SHUTDOWN_GRACE_SECONDS)
    if still_running:
        log.error(
            "%d request(s), timer run(s) or message(s) still running after %.0f s; their jobs' leases will expire and be reaped",
            still_running,
            SHUTDOWN_GRACE_SECONDS,
        )
    for runner in running.runners():
        runner.join(1.0)
    dispatcher = get_context().dispatcher
    if dispatcher is not None:
        dispatcher.flush()  # released jobs' messages, before the emulator goes
    server.server_close()
    if running.azurite is not None:
        running.azurite.stop()
    log.info("stopped")
