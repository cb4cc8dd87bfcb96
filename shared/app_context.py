"""The composition root: settings, database and services, built once per process and reused.

Azure keeps a Python worker alive across invocations, so connections and clients live here rather
than in each trigger. Tests and the local host call `reset_context()` after changing settings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from shared.config import Settings, get_settings
from shared.db import Database
from shared.db.database import open_database
from shared.db.migrate import migrate, require_current_schema
from shared.jobs.repository import JobsRepository


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    db: Database
    jobs: JobsRepository
    created_database: bool = False  # this process made the (SQLite) database, empty, when it started


_lock = threading.Lock()
_context: AppContext | None = None


def build_context(settings: Settings) -> AppContext:
    db = open_database(settings)
    created = db.prepare()
    if db.connector.migrates_at_startup:
        migrate(db)  # SQLite: the app's own embedded file
    else:
        require_current_schema(db)  # SQL Server: migrations are a deploy step; until then every call gets 503
    return AppContext(settings=settings, db=db, jobs=JobsRepository(db), created_database=created)


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
            _context.db.close()
        _context = None
        get_settings.cache_clear()
