"""Ordered, idempotent, additive migrations, recorded in a migrations table.

Run on their own with `python -m shared.db.migrate` (or `make migrate`). Each file under
`sql/<dialect>/migrations/` is applied once, in name order, inside a transaction.
"""

from __future__ import annotations

import logging
import sys

from shared.db.database import Database, Transaction
from shared.db.queries import migration_files

log = logging.getLogger(__name__)


def applied_versions(db: Database) -> set[str]:
    def read(tx: Transaction) -> set[str]:
        tx.run_script(db.query("create_migrations_table").text)
        return {row["version"] for row in tx.fetch_all("list_migrations")}

    return db.run(read)


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet recorded; the versions applied now. A missing SQLite file is created."""
    db.prepare()
    done = applied_versions(db)
    applied: list[str] = []
    for path in migration_files(db.dialect):
        version = path.stem
        if version in done:
            continue
        script = path.read_text(encoding="utf-8")

        def apply(tx: Transaction, script: str = script, version: str = version) -> None:
            # Another instance may have applied it since we looked; the recorded version decides.
            if tx.fetch_one("get_migration", {"version": version}) is None:
                tx.run_script(script)
                tx.execute("record_migration", {"version": version})

        db.run(apply)
        applied.append(version)
        log.info("applied migration %s", version)
    return applied


def main() -> int:
    from shared.config import get_settings
    from shared.db.database import open_database

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    db = open_database(get_settings())
    applied = migrate(db)
    print(f"{len(applied)} migration(s) applied" + (f": {', '.join(applied)}" if applied else "; schema up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
