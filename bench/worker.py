"""The worker: bookkeeping throughput (claim + complete, with a generator that answers at once) in one
process and in four, with an exactly-once check; and drain time behind a 1 s model at several
concurrencies, through the real openai SDK against the stub server on 127.0.0.1."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.datasets import cache_key, open_sqlite
from bench.sizes import CACHE_DIR
from shared.app_context import AppContext, build_context
from shared.clock import utc_now
from shared.config import Settings
from shared.demo import seed as demo_seed
from shared.jobs.models import Status
from shared.jobs.repository import GeneratedReport
from shared.reports.facts import ReportFacts
from shared.reports.generators import Generation
from shared.reports.prompt import Message
from shared.worker.options import WorkerOptions
from shared.worker.runner import run_pass
from tests.support.llm_stub import SAMPLE_REPORT, LlmStub

PASS_BUDGET_SECONDS = 3_600.0  # one pass drains the whole queue; the bench measures, not the budget
REPORT_TEXT = json.dumps(SAMPLE_REPORT)


class InstantGenerator:
    """A model that answers at once, so what is measured is the worker's own work."""

    kind = "offline"
    model = "instant"
    parameters: dict[str, object] = {}
    timeout_seconds = 0.0

    def generate(self, facts: ReportFacts, messages: list[Message]) -> Generation:
        return Generation(text=REPORT_TEXT, model="instant", prompt_tokens=1, completion_tokens=1)


def queued_database(jobs: int) -> Path:
    """A fresh copy of a database holding `jobs` queued jobs and their source rows."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    template = CACHE_DIR / f"queued-{jobs}-{cache_key()}.sqlite3"
    if not template.exists():
        for stale in CACHE_DIR.glob(f"queued-{jobs}-*.sqlite3"):
            stale.unlink()
        building = template.with_suffix(".building")
        building.unlink(missing_ok=True)
        db = open_sqlite(building)
        demo_seed.seed(db, jobs, seed_value=11, status_mix=((Status.QUEUED, 1.0),))
        db.run(lambda tx: tx.run_script("PRAGMA wal_checkpoint(TRUNCATE)"), write=False)
        db.close()
        building.rename(template)
    copy = Path(tempfile.mkdtemp(prefix="bench-worker-")) / "jobs.sqlite3"
    shutil.copyfile(template, copy)
    return copy


def _context(path: Path, **env: str) -> AppContext:
    return build_context(Settings.from_env({"SQLITE_PATH": str(path), **env}))


# --- bookkeeping ---------------------------------------------------------------------------------


# What a pass does per job around the model call, and no more: claim a batch, store each result.
REPOSITORY = "repository"
# The whole worker pass: threads, lease checks, source rows, facts, prompt, report validation, records.
PASS = "pass"


def _claim_and_complete(context: AppContext, worker_id: str) -> int:
    batch = context.settings.worker_concurrency
    report = GeneratedReport(REPORT_TEXT, rows_used=10, gen_model="instant", gen_ms=0, prompt_tokens=1, completion_tokens=1)
    done = 0
    while claimed := context.jobs.claim(worker_id, batch, context.settings.worker_lease_seconds, utc_now()):
        for job in claimed:
            done += context.jobs.complete(job, report, utc_now())
    return done


def _bookkeeping_process(path: str, mode: str, ready: Any, start: Any, results: Any) -> None:
    context = _context(Path(path))
    options = WorkerOptions.from_settings(context.settings)
    ready.put(True)
    start.wait()
    began = time.time()
    if mode == REPOSITORY:
        succeeded, error = _claim_and_complete(context, f"bench-{multiprocessing.current_process().pid}"), None
    else:
        summary = run_pass(context, "bench", PASS_BUDGET_SECONDS, options=options, generator=InstantGenerator())
        succeeded, error = summary.succeeded, summary.error
    results.put({"began": began, "ended": time.time(), "succeeded": succeeded, "error": error})
    context.db.close()


@dataclass(frozen=True)
class Bookkeeping:
    mode: str
    processes: int
    jobs: int
    seconds: float
    exactly_once: bool
    problems: list[str]

    @property
    def jobs_per_second(self) -> float:
        return self.jobs / self.seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "processes": self.processes,
            "jobs": self.jobs,
            "seconds": round(self.seconds, 3),
            "jobs_per_second": round(self.jobs_per_second, 1),
            "exactly_once": self.exactly_once,
            "problems": self.problems,
        }


def bookkeeping(jobs: int, processes: int, mode: str) -> Bookkeeping:
    path = queued_database(jobs)
    spawn = multiprocessing.get_context("spawn")
    ready, start, results = spawn.Queue(), spawn.Event(), spawn.Queue()
    workers = [spawn.Process(target=_bookkeeping_process, args=(str(path), mode, ready, start, results)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for _ in workers:  # every process has imported the app and opened its database before the gun
        ready.get(timeout=120)
    start.set()
    reports = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    seconds = max(r["ended"] for r in reports) - min(r["began"] for r in reports)
    problems = [f"a pass reported: {r['error']}" for r in reports if r["error"]]
    problems += exactly_once_problems(path, jobs, sum(r["succeeded"] for r in reports))
    shutil.rmtree(path.parent)
    return Bookkeeping(mode, processes, jobs, seconds, not problems, problems)


def exactly_once_problems(path: Path, jobs: int, reported: int) -> list[str]:
    """Every job succeeded once: one snapshot each, none left queued or running, none counted twice."""
    conn = sqlite3.connect(path)
    try:
        by_status = dict(conn.execute("SELECT status, COUNT(*) FROM exec_report_jobs GROUP BY status").fetchall())
        doubled = conn.execute("SELECT COUNT(*) FROM (SELECT job_id FROM exec_report_snapshots GROUP BY job_id HAVING COUNT(*) > 1)").fetchone()[0]
        missing = conn.execute(
            "SELECT COUNT(*) FROM exec_report_jobs j WHERE NOT EXISTS (SELECT 1 FROM exec_report_snapshots s WHERE s.job_id = j.job_id)"
        ).fetchone()[0]
    finally:
        conn.close()
    problems = []
    if by_status.get("succeeded", 0) != jobs:
        problems.append(f"jobs by status after the run: {by_status}")
    if doubled:
        problems.append(f"{doubled} job(s) have more than one snapshot")
    if missing:
        problems.append(f"{missing} job(s) have no snapshot")
    if reported != jobs:
        problems.append(f"the passes reported {reported} successes for {jobs} jobs")
    return problems


# --- drain ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drain:
    concurrency: int
    jobs: int
    latency: float
    seconds: float
    problems: list[str]

    @property
    def ideal_seconds(self) -> float:
        return -(-self.jobs // self.concurrency) * self.latency

    def to_dict(self) -> dict[str, Any]:
        return {
            "concurrency": self.concurrency,
            "jobs": self.jobs,
            "model_latency_s": self.latency,
            "seconds": round(self.seconds, 2),
            "ideal_seconds": self.ideal_seconds,
            "overhead_ratio": round(self.seconds / self.ideal_seconds, 3),
            "problems": self.problems,
        }


def drain(jobs: int, concurrency: int, latency: float) -> Drain:
    path = queued_database(jobs)
    with LlmStub(latency=latency) as stub:
        context = _context(
            path,
            REPORT_GENERATOR="openai",
            OPENAI_BASE_URL=stub.base_url,
            OPENAI_API_KEY="bench",
            OPENAI_MODEL="stub-model",
            MODEL_TIMEOUT_SECONDS="30",
            WORKER_CONCURRENCY=str(concurrency),
        )
        started = time.monotonic()
        summary = run_pass(context, "bench", PASS_BUDGET_SECONDS)
        seconds = time.monotonic() - started
        context.db.close()
    problems = [f"the pass reported: {summary.error}"] if summary.error else []
    problems += exactly_once_problems(path, jobs, summary.succeeded)
    shutil.rmtree(path.parent)
    return Drain(concurrency, jobs, latency, seconds, problems)
