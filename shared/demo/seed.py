"""Demo data: realistic jobs in every status, their snapshots, and source rows for their scopes.

    python -m shared.demo.seed               # 300 jobs into the database the settings point at
    python -m shared.demo.seed --jobs 1000000

Deterministic for a given --seed, so screenshots and benchmarks are repeatable.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import utc_now
from shared.db import Database, Transaction
from shared.jobs.models import Status

SCOPES: tuple[tuple[str, str], ...] = (
    *(("network", key) for key in ("NET-EMEA", "NET-APAC", "NET-AMER", "NET-LATAM", "NET-NORDICS", "NET-DACH", "NET-UKI", "NET-ANZ")),
    *(("region", key) for key in ("north", "south", "east", "west")),
    *(("account", key) for key in ("contoso", "fabrikam", "northwind", "adventure-works")),
)
METRICS: tuple[tuple[str, float, float], ...] = (
    # name, typical daily value, day-to-day spread
    ("revenue_eur", 125_000.0, 0.18),
    ("orders", 3_400.0, 0.15),
    ("active_users", 18_000.0, 0.08),
    ("incidents", 6.0, 0.6),
    ("uptime_pct", 99.7, 0.002),
)
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini")
FAILURES: tuple[tuple[str, str], ...] = (
    ("Azure OpenAI request timed out after 30 s (attempt 3 of 3)", "openai.APITimeoutError: Request timed out."),
    ("Azure OpenAI rate limit (429) persisted after 3 attempts", "openai.RateLimitError: Error code: 429 - rate limit exceeded"),
    ("The model's response was blocked by the content filter", "openai.BadRequestError: Error code: 400 - content_filter"),
    ("The model's output did not match the report schema after a retry", "jsonschema: 'kpis' is a required property"),
    ("worker lost: lease expired with no attempts left", ""),
    ("Database connection lost while saving the snapshot (40613)", "pyodbc.OperationalError: ('08S01', '[08S01] Communication link failure (40613)')"),
)
STATUS_MIX = ((Status.SUCCEEDED, 0.85), (Status.FAILED, 0.07), (Status.CANCELED, 0.04), (Status.QUEUED, 0.03), (Status.RUNNING, 0.01))
BATCH = 5_000


def _traceback(error: str) -> str:
    if not error:
        return ""
    return (
        "Traceback (most recent call last):\n"
        '  File "/home/site/wwwroot/shared/worker/job_runner.py", line 88, in run\n'
        "    report = self.generator.generate(prompt)\n"
        '  File "/home/site/wwwroot/shared/reports/generators/azure_openai.py", line 61, in generate\n'
        "    response = self.client.chat.completions.create(**request)\n"
        f"{error}\n"
    )


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _analysis(rng: random.Random, scope_key: str, period: str) -> str:
    change = round(rng.uniform(-12, 15), 1)
    direction = "up" if change >= 0 else "down"
    return json.dumps(
        {
            "headline": f"{scope_key} revenue {direction} {abs(change)}% in {period}",
            "summary": f"Revenue moved {direction} {abs(change)}% against the previous period while orders held steady.",
            "kpis": [
                {"name": "revenue_eur", "value": round(rng.uniform(700_000, 950_000), 2), "previous": None, "change_pct": change, "unit": "EUR"},
                {"name": "orders", "value": rng.randint(20_000, 26_000), "previous": None, "change_pct": round(rng.uniform(-5, 5), 1), "unit": None},
            ],
            "highlights": [f"Best day was {rng.choice(['Monday', 'Tuesday', 'Thursday'])}."],
            "risks": ["Incidents rose above the weekly average."] if change < 0 else [],
            "recommendations": ["Review the incident backlog with the network team."],
        }
    )


def _job_rows(
    count: int, rng: random.Random, now: datetime, status_mix: tuple[tuple[str, float], ...] = STATUS_MIX
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(job, snapshot or None) pairs, oldest first, spread over the last 180 days."""
    statuses = [status for status, _ in status_mix]
    weights = [weight for _, weight in status_mix]
    span = timedelta(days=180).total_seconds()
    for index in range(count):
        status = rng.choices(statuses, weights)[0]
        if status in (Status.QUEUED, Status.RUNNING):
            created = now - timedelta(seconds=rng.uniform(5, 3600))
        else:
            created = now - timedelta(seconds=span * (1 - index / count) + rng.uniform(0, 60))
        scope_type, scope_key = rng.choice(SCOPES)
        day = created.date() - timedelta(days=7)
        iso_week, month_key = (_iso_week(day), None) if rng.random() < 0.8 else (None, f"{day.year:04d}-{day.month:02d}")
        queue_wait = timedelta(seconds=rng.uniform(1, 240))
        run_time = timedelta(seconds=rng.uniform(4, 40))
        started = created + queue_wait if status != Status.QUEUED else None
        if status == Status.RUNNING:
            started = min(started or now, now - timedelta(seconds=rng.uniform(1, 20)))
        finished = started + run_time if status in (Status.SUCCEEDED, Status.FAILED) and started else None
        reason, detail, attempts = None, None, 1
        if status == Status.SUCCEEDED:
            reason = "ok"
        elif status == Status.FAILED:
            reason, error = rng.choice(FAILURES)
            detail, attempts = _traceback(error) or None, 3
        elif status == Status.CANCELED:
            finished = created + queue_wait
            started, reason, attempts = None, "canceled by admin@contoso.com", 0
        elif status == Status.QUEUED:
            attempts = 0
        job = {
            "job_id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
            "scope_type": scope_type,
            "scope_key": scope_key,
            "iso_week": iso_week,
            "month_key": month_key,
            "status": status,
            "reason": reason,
            "created_at": created,
            "started_at": started,
            "finished_at": finished,
            "created_by": rng.choice(("scheduler", "admin@contoso.com", "ops@contoso.com", "report-app")),
            "attempts": attempts,
            "max_attempts": 3,
            "worker_id": "demo-worker" if status == Status.RUNNING else None,
            "lease_expires_at": now + timedelta(minutes=10) if status == Status.RUNNING else None,
            "error_detail": detail,
        }
        snapshot = None
        if status == Status.SUCCEEDED and finished:
            prompt_tokens = rng.randint(1_200, 4_000)
            snapshot = {
                "job_id": job["job_id"],
                "scope_type": scope_type,
                "scope_key": scope_key,
                "iso_week": iso_week,
                "month_key": month_key,
                "analysis_json": _analysis(rng, scope_key, iso_week or month_key or ""),
                "created_at": finished,
                "rows_used": rng.randint(30, 160),
                "gen_model": rng.choice(MODELS),
                "gen_ms": int(run_time.total_seconds() * 1000 * rng.uniform(0.6, 0.95)),
                "prompt_tokens": prompt_tokens,
                "completion_tokens": rng.randint(300, 900),
                "prompt_version": None,  # demo reports were written by no prompt
            }
        yield job, snapshot


def _source_rows(rng: random.Random, today: date, days: int) -> Iterator[dict[str, Any]]:
    for scope_type, scope_key in SCOPES:
        scale = rng.uniform(0.5, 2.0)
        for offset in range(days, 0, -1):
            day = today - timedelta(days=offset)
            trend = 1 + (days - offset) / days * rng.uniform(-0.1, 0.25)
            for metric, typical, spread in METRICS:
                value = typical * (scale if metric not in ("uptime_pct",) else 1) * trend * (1 + rng.gauss(0, spread))
                value = min(value, 100.0) if metric == "uptime_pct" else max(value, 0.0)
                yield {"scope_type": scope_type, "scope_key": scope_key, "metric_date": day.isoformat(), "metric": metric, "value": round(value, 2)}


class DemoDataRepository:
    """Demo rows go in as they are, in any state, many per statement: not through the transitions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def insert_source_rows(self, rows: list[dict[str, Any]]) -> None:
        self.db.run(lambda tx: tx.execute_many("insert_source_row", rows))

    def insert_jobs(self, jobs: list[dict[str, Any]], snapshots: list[dict[str, Any]]) -> None:
        def write(tx: Transaction) -> None:
            tx.execute_many("insert_job", jobs)
            if snapshots:
                tx.execute_many("insert_snapshot", snapshots)

        self.db.run(write)


def seed(
    db: Database,
    jobs: int = 300,
    seed_value: int = 7,
    source_days: int = 400,
    progress: Callable[[int], object] | None = None,  # told each batch's size (tqdm's update)
    status_mix: tuple[tuple[str, float], ...] = STATUS_MIX,
) -> int:
    """Insert `jobs` demo jobs (with snapshots) and source rows; returns the number of jobs.

    `status_mix` weighs each status; benchmarks pass one with a few thousand active jobs at any size.
    """
    rng = random.Random(seed_value)
    now = utc_now()
    repo = DemoDataRepository(db)
    repo.insert_source_rows(list(_source_rows(rng, now.date(), source_days)))
    job_batch: list[dict[str, Any]] = []
    snapshot_batch: list[dict[str, Any]] = []
    for job, snapshot in _job_rows(jobs, rng, now, status_mix):
        job_batch.append(job)
        if snapshot:
            snapshot_batch.append(snapshot)
        if len(job_batch) >= BATCH:
            repo.insert_jobs(job_batch, snapshot_batch)
            if progress:
                progress(len(job_batch))
            job_batch, snapshot_batch = [], []
    if job_batch:
        repo.insert_jobs(job_batch, snapshot_batch)
        if progress:
            progress(len(job_batch))
    return jobs


def has_jobs(db: Database) -> bool:
    from shared.jobs.repository import JobsRepository

    return JobsRepository(db).counts()["total"] > 0


def seed_if_empty(db: Database, jobs: int = 300) -> int:
    """Seed a database that has no jobs yet; the number of jobs added (0 if it had some)."""
    return 0 if has_jobs(db) else seed(db, jobs)


def main(argv: list[str] | None = None) -> int:
    from tqdm import tqdm

    from shared.config import get_settings
    from shared.db.database import open_database
    from shared.db.migrate import migrate

    parser = argparse.ArgumentParser(description="Fill the database with demo jobs, snapshots and source rows.")
    parser.add_argument("--jobs", type=int, default=300, help="how many jobs (default 300; up to a few million)")
    parser.add_argument("--seed", type=int, default=7, help="random seed, for repeatable data")
    parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has jobs")
    args = parser.parse_args(argv)
    if not 1 <= args.jobs <= 10_000_000:
        parser.error("--jobs must be from 1 to 10,000,000")
    db = open_database(get_settings())
    migrate(db)
    if args.if_empty and has_jobs(db):
        print("database already has jobs; nothing seeded")
        return 0
    with tqdm(total=args.jobs, unit="job", desc="seeding", file=sys.stderr) as bar:
        seed(db, args.jobs, args.seed, progress=bar.update)
    print(f"seeded {args.jobs} jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
