"""Every read and write of model-call traces, job model records and report ratings; no SQL here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.clock import as_utc
from shared.db import Database, Transaction
from shared.jobs.models import Job


@dataclass(frozen=True)
class StoredCall:
    call_id: int
    attempt: int
    call_no: int
    started_at: datetime
    generator: str
    model: str | None
    answered_model: str | None
    prompt_version: str | None
    parameters: dict[str, Any]
    messages: list[dict[str, Any]]
    answer_text: str | None
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: int | None
    request_id: str | None
    outcome: str
    problem: str | None
    truncated: bool

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredCall:
        return cls(
            call_id=int(row["call_id"]),
            attempt=int(row["attempt"]),
            call_no=int(row["call_no"]),
            started_at=as_utc(row["started_at"]),  # type: ignore[arg-type]
            generator=row["generator"],
            model=row.get("model"),
            answered_model=row.get("answered_model"),
            prompt_version=row.get("prompt_version"),
            parameters=json.loads(row["parameters_json"]),
            messages=json.loads(row["messages_json"]),
            answer_text=row.get("answer_text"),
            finish_reason=row.get("finish_reason"),
            prompt_tokens=row.get("prompt_tokens"),
            completion_tokens=row.get("completion_tokens"),
            latency_ms=row.get("latency_ms"),
            request_id=row.get("request_id"),
            outcome=row["outcome"],
            problem=row.get("problem"),
            truncated=bool(row.get("truncated")),
        )


@dataclass(frozen=True)
class JobModel:
    model_choice: str | None  # a re-run's MODEL_CHOICES entry; None: the configured generator
    rerun_of: str | None
    generator: str | None  # what the latest attempt used
    model: str | None
    prompt_version: str | None


@dataclass(frozen=True)
class Rating:
    rating: str  # good | bad
    note: str | None
    rated_by: str
    rated_at: datetime


class TracesRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, call: dict[str, Any], now: datetime, store_trace: bool) -> None:
        """One call's trace (unless there is nothing to trace) and what the job now runs with, together."""

        def write(tx: Transaction) -> None:
            if store_trace:
                tx.execute("insert_model_call", call)
            job_model = {key: call[key] for key in ("job_id", "generator", "model", "prompt_version")}
            tx.execute("record_job_model", job_model | {"now": now})

        self.db.run(write)

    def calls(self, job_id: str) -> list[StoredCall]:
        return [StoredCall.from_row(row) for row in self.db.fetch_all("list_model_calls", {"job_id": job_id})]

    def job_model(self, job_id: str) -> JobModel | None:
        row = self.db.fetch_one("get_job_model", {"job_id": job_id})
        if row is None:
            return None
        return JobModel(row.get("model_choice"), row.get("rerun_of"), row.get("generator"), row.get("model"), row.get("prompt_version"))

    def reruns(self, job_id: str) -> list[str]:
        return [str(row["job_id"]) for row in self.db.fetch_all("list_job_reruns", {"job_id": job_id})]

    def same_period_reports(self, scope: dict[str, Any]) -> list[dict[str, Any]]:
        return self.db.fetch_all("same_period_snapshots", scope)

    def rating(self, job_id: str) -> Rating | None:
        row = self.db.fetch_one("get_feedback", {"job_id": job_id})
        return Rating(row["rating"], row.get("note"), row["rated_by"], as_utc(row["rated_at"])) if row else None  # type: ignore[arg-type]

    def comparison(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        return self.db.fetch_all("model_comparison", {"since": since, "until": until})


def job_in(tx: Transaction, job_id: str) -> Job | None:
    """The job as this transaction sees it (a re-run and a rating decide on it)."""
    row = tx.fetch_one("get_job", {"job_id": job_id})
    return Job.from_row(row) if row else None


def has_report(tx: Transaction, job: Job) -> bool:
    scope = {"scope_type": job.scope_type, "scope_key": job.scope_key, "iso_week": job.iso_week, "month_key": job.month_key}
    return tx.fetch_one("get_job_snapshot", scope | {"job_id": job.job_id}) is not None


def set_model_choice(tx: Transaction, job_id: str, model_choice: str, rerun_of: str, now: datetime) -> None:
    """Inside the re-run's enqueue transaction: the new job and its choice commit together."""
    tx.execute("insert_job_model_choice", {"job_id": job_id, "model_choice": model_choice, "rerun_of": rerun_of, "now": now})


def set_rating(tx: Transaction, job_id: str, rating: str, note: str | None, actor: str, now: datetime) -> None:
    tx.execute("upsert_feedback", {"job_id": job_id, "rating": rating, "note": note, "actor": actor, "now": now})


def delete_for_jobs(tx: Transaction, job_ids: str) -> None:
    """Retention: a deleted job's traces, model record and rating go with it (job_ids: a JSON list)."""
    for name in ("retention_delete_model_calls", "retention_delete_job_models", "retention_delete_feedback"):
        tx.execute(name, {"job_ids": job_ids})
