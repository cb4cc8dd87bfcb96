-- One row per worker pass: the source of worker health, last run and failed runs.
CREATE TABLE IF NOT EXISTS exec_report_worker_runs (
    run_id      TEXT PRIMARY KEY,
    trigger     TEXT NOT NULL,
    worker_id   TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    reaped      INTEGER NOT NULL DEFAULT 0,
    claimed     INTEGER NOT NULL DEFAULT 0,
    succeeded   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    requeued    INTEGER NOT NULL DEFAULT 0,
    canceled    INTEGER NOT NULL DEFAULT 0,
    error       TEXT
);
CREATE INDEX IF NOT EXISTS ix_exec_report_worker_runs_started ON exec_report_worker_runs (started_at);
