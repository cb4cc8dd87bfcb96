"""The composition root: settings, database, the jobs repository and every service, built once per
process and reused.

Azure keeps a Python worker alive across invocations, so connections and clients live here rather
than in each trigger; handlers take their service from `get_context().services`. Tests and the
local host call `reset_context()` after changing settings.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from shared.config import Settings, get_settings
from shared.db import Database
from shared.db.database import open_database
from shared.db.migrate import migrate, require_current_schema
from shared.health.service import HealthService
from shared.jobs import wakeups
from shared.jobs.actions import JobActions
from shared.jobs.audit import AuditLog
from shared.jobs.repository import JobsRepository
from shared.jobs.search import JobSearch
from shared.jobs.service import JobsService
from shared.metrics.repository import MetricsRepository
from shared.metrics.service import MetricsService
from shared.queue.dispatcher import JobDispatcher
from shared.queue.storage import CONNECTION, storage_configured
from shared.schedules.service import SchedulesService
from shared.traces.service import ModelCallsService


@dataclass(frozen=True)
class Services:
    jobs: JobsService  # reads: the list, search, one job with its history
    actions: JobActions  # audited changes: enqueue, cancel, retry, bulk
    audit: AuditLog
    schedules: SchedulesService  # recurring rules and the known scopes
    metrics: MetricsService
    health: HealthService
    model_calls: ModelCallsService  # model calls, re-runs, ratings, report and model comparisons

    @classmethod
    def build(cls, settings: Settings, db: Database, jobs: JobsRepository, dispatcher: JobDispatcher | None = None) -> Services:
        return cls(
            jobs=JobsService(jobs, JobSearch(db)),
            actions=JobActions(db, settings.worker_max_attempts),
            audit=AuditLog(db),
            schedules=SchedulesService(db, settings.worker_max_attempts),
            metrics=MetricsService(MetricsRepository(db), settings.model_prices),
            health=HealthService(db, settings, dispatcher=dispatcher),
            model_calls=ModelCallsService(db, settings, jobs),
        )


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    db: Database
    jobs: JobsRepository  # the worker's own steps (claim, complete, ...) go straight to it
    created_database: bool = False  # this process made the (SQLite) database, empty, when it started
    dispatcher: JobDispatcher | None = None  # JOB_DISPATCH=queue: sends each runnable job to the queue trigger
    services: Services = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "services", Services.build(self.settings, self.db, self.jobs, self.dispatcher))  # frozen: set once, here


log = logging.getLogger(__name__)
_lock = threading.Lock()
_context: AppContext | None = None


def build_context(settings: Settings) -> AppContext:
    db = open_database(settings)
    created = db.prepare()
    if db.connector.migrates_at_startup:
        migrate(db)  # SQLite: the app's own embedded file
    else:
        require_current_schema(db)  # SQL Server: migrations are a deploy step; until then every call gets 503
    dispatcher = None
    if settings.job_dispatch == "queue" and storage_configured():
        dispatcher = JobDispatcher(settings.job_queue_name)
        db.subscribe(wakeups.TOPIC, dispatcher.runnable)  # post-commit: a message never names an uncommitted job
    elif settings.job_dispatch == "queue":
        log.warning("JOB_DISPATCH=queue but %s is not set: jobs start on the worker timer only", CONNECTION)
    return AppContext(settings=settings, db=db, jobs=JobsRepository(db), created_database=created, dispatcher=dispatcher)


def get_context() -> AppContext:
    """The process-wide context; a failed build (database down, migrations pending) is retried on the next call."""
    global _context
    if _context is None:
        with _lock:
            if _context is None:
                _context = build_context(get_settings())
    return _context


def reset_context() -> None:
    global _context
    with _lock:
        if _context is not None:
            if _context.dispatcher is not None:
                _context.dispatcher.close()
            _context.db.close()
        _context = None
        get_settings.cache_clear()
