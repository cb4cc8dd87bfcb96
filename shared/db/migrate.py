"""Ordered, idempotent, additive migrations, recorded in a migrations table.

On SQL Server they run out of band, as a deploy step: `python -m shared.db.migrate` (or `make
migrate`), with no command timeout, one line of progress per batch, and nonclustered indexes built
online where the edition allows it. The app itself only checks at start-up that none is pending
(`require_current_schema`) and answers 503 until they have run; a request never runs DDL, so an
index build on a table of millions of rows cannot time out inside one and roll back to start over
on the next. SQLite, the app's own embedded file, still migrates when the app starts.

Before any DDL the preflight checks that the site's existing tables fit (shared/db/preflight.py).
Each file under `sql/<dialect>/migrations/` is applied once, in name order: on SQLite inside one
transaction, on SQL Server batch by batch (see _apply_batch_by_batch).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from shared.db.database import Database, Transaction
from shared.db.errors import SchemaBehind
from shared.db.preflight import Preflight, SchemaMismatch, describe, run_preflight
from shared.db.queries import migration_files

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


def applied_versions(db: Database) -> set[str]:
    """For the migrator: creates the migrations table where missing, then reads it."""
    db.run(lambda tx: tx.run_script(db.query("create_migrations_table").text))
    return recorded_versions(db)


def recorded_versions(db: Database) -> set[str]:
    """The versions applied so far, read only: the app's identity has no DDL rights to create the
    migrations table, and an empty database simply has every migration pending."""

    def read(tx: Transaction) -> set[str]:
        if tx.fetch_one("migrations_table_exists") is None:
            return set()
        return {row["version"] for row in tx.fetch_all("list_migrations")}

    return db.run(read, write=False)


def pending_migrations(db: Database, done: set[str]) -> list[Path]:
    return [path for path in migration_files(db.dialect) if path.stem not in done]


def require_current_schema(db: Database) -> Preflight:
    """Start-up on SQL Server: refuse to serve a schema that is behind; the preflight's adaptations
    (parameter types for the site's columns) apply to every statement from here on."""
    pending = pending_migrations(db, recorded_versions(db))
    if pending:
        raise SchemaBehind([path.stem for path in pending])
    preflight = run_preflight(db)
    db.connector.adapt_to(preflight)
    return preflight


def migrate(db: Database, progress: Progress = log.info) -> list[str]:
    """Apply every migration not yet recorded; the versions applied now. A missing SQLite file is created."""
    db.prepare()
    preflight = run_preflight(db)
    for line in describe(preflight):
        progress(line)
    if not preflight.fits:
        raise SchemaMismatch(preflight.problems)
    db.connector.adapt_to(preflight)
    applied: list[str] = []
    # One migrator at a time (two deploys, or a deploy beside a person running it by hand): the
    # pending list is read only once the lock is held.
    with db.connector.exclusive_session(db.query("lock_migrations").text):
        for path in pending_migrations(db, applied_versions(db)):
            version = path.stem
            batches = db.connector.migration_batches(path.read_text(encoding="utf-8"), preflight)
            started = time.monotonic()
            apply = _apply_batch_by_batch if db.connector.migrates_per_batch else _apply_in_one_transaction
            if apply(db, version, batches, progress):
                applied.append(version)
                progress(f"applied migration {version} ({time.monotonic() - started:.1f}s)")
    if applied:  # not on every start-up: only a run that changed the schema left work to tidy
        db.connector.after_migrations()
    return applied


def _apply_batch_by_batch(db: Database, version: str, batches: list[str], progress: Progress) -> bool:
    """SQL Server: each batch commits on its own. Schema-modification locks are held until commit,
    so one transaction per file would keep an online index build's final lock, and the locks of the
    view index builds before it, until the whole file was done, blocking the other application's
    writes all along. Every batch is guarded (IF NOT EXISTS / COL_LENGTH ... IS NULL), so a batch cut
    off and run again, or a file half applied by a run that died, completes on the next run; the
    version is recorded last."""
    if db.run(lambda tx: tx.fetch_one("get_migration", {"version": version}), write=False) is not None:
        return False  # recorded by a run of an earlier release, which took no lock
    for number, batch in enumerate(batches, 1):
        step = time.monotonic()
        db.run(partial(_run_batch, batch=batch), idempotent=True)
        progress(f"  {version} step {number}/{len(batches)}: {_first_line(batch)} ({time.monotonic() - step:.1f}s)")
    db.run(lambda tx: tx.execute("record_migration", {"version": version}))
    return True


def _run_batch(tx: Transaction, batch: str) -> None:
    tx.run_script(batch)


def _apply_in_one_transaction(db: Database, version: str, batches: list[str], progress: Progress) -> bool:
    """SQLite: DDL is transactional and quick on our own file; a file applies whole or not at all."""

    def apply(tx: Transaction) -> bool:
        # Another host starting on the same file may have applied it since we looked.
        if tx.fetch_one("get_migration", {"version": version}) is not None:
            return False
        for number, batch in enumerate(batches, 1):
            step = time.monotonic()
            tx.run_script(batch)
            if len(batches) > 1:
                progress(f"  {version} step {number}/{len(batches)}: {_first_line(batch)} ({time.monotonic() - step:.1f}s)")
        tx.execute("record_migration", {"version": version})
        return True

    return db.run(apply)


def _first_line(batch: str) -> str:
    code = next((line.strip() for line in batch.splitlines() if line.strip() and not line.strip().startswith("--")), "")
    return code[:100]


def main() -> int:
    from shared.config import get_settings
    from shared.db.database import open_database

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    db = open_database(get_settings())
    try:
        applied = migrate(db, progress=lambda line: print(line, flush=True))
    except SchemaMismatch as mismatch:
        print(mismatch, file=sys.stderr)
        return 2
    print(f"{len(applied)} migration(s) applied" + (f": {', '.join(applied)}" if applied else "; schema up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
