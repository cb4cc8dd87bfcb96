"""Benchmark databases: built once per size with a progress bar, then reused until the schema or
the demo data changes (the cache key hashes the migrations and the seeding code)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from tqdm import tqdm

from bench.sizes import CACHE_DIR, SIZES
from shared.db import Database
from shared.db.migrate import migrate
from shared.db.queries import migration_files
from shared.db.sqlite import SqliteConnector
from shared.demo import seed as demo_seed
from shared.jobs.models import Status

DATA_VERSION = "1"  # bump when the mix below changes
SEED = 7
MAX_QUEUED, MAX_RUNNING = 2_000, 1_000


def status_mix(jobs: int) -> tuple[tuple[str, float], ...]:
    """About 95% finished at every size, and a few thousand queued or running (never more than 4%)."""
    queued = min(MAX_QUEUED, 0.03 * jobs) / jobs
    running = min(MAX_RUNNING, 0.01 * jobs) / jobs
    finished = 1 - queued - running
    return (
        (Status.SUCCEEDED, finished * 0.88),
        (Status.FAILED, finished * 0.08),
        (Status.CANCELED, finished * 0.04),
        (Status.QUEUED, queued),
        (Status.RUNNING, running),
    )


def cache_key() -> str:
    digest = hashlib.sha256(DATA_VERSION.encode())
    for path in [*migration_files("sqlite"), Path(demo_seed.__file__), Path(__file__)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def open_sqlite(path: Path) -> Database:
    db = Database(SqliteConnector(str(path)))
    migrate(db)
    return db


def dataset(size: str) -> Path:
    """The cached database for `size`, built now if missing or stale (older keys are removed)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"jobs-{size}-{cache_key()}.sqlite3"
    if path.exists():
        return path
    for stale in CACHE_DIR.glob(f"jobs-{size}-*.sqlite3*"):
        stale.unlink()
    building = path.with_suffix(".building")
    for leftover in CACHE_DIR.glob(f"{building.name}*"):
        leftover.unlink()
    jobs = SIZES[size]
    db = open_sqlite(building)
    try:
        with tqdm(total=jobs, unit="job", unit_scale=True, desc=f"building {size} database", file=sys.stderr) as bar:
            demo_seed.seed(db, jobs, SEED, progress=bar.update, status_mix=status_mix(jobs))
        # Fresh statistics, as a long-lived production database would have; then fold the WAL in.
        db.run(lambda tx: tx.run_script("ANALYZE"))
        db.run(lambda tx: tx.run_script("PRAGMA wal_checkpoint(TRUNCATE)"), write=False)
    finally:
        db.close()
    building.rename(path)
    return path
