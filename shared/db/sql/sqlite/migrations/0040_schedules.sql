-- Recurring report rules, and one row per (rule, period) it enqueued: the primary key on the
-- runs table is what makes each period run exactly once, however many instances evaluate rules.
CREATE TABLE IF NOT EXISTS exec_report_schedules (
    schedule_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    scope_type  TEXT NOT NULL,
    scope_key   TEXT,  -- NULL: every scope of scope_type
    period_kind TEXT NOT NULL CHECK (period_kind IN ('week', 'month')),
    cron        TEXT NOT NULL,
    timezone    TEXT NOT NULL DEFAULT 'UTC',
    paused      INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    next_run_at TEXT,
    last_run_at TEXT,
    last_result TEXT  -- JSON: what the last run enqueued
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_exec_report_schedules_name ON exec_report_schedules (name);
CREATE INDEX IF NOT EXISTS ix_exec_report_schedules_due ON exec_report_schedules (paused, next_run_at);

CREATE TABLE IF NOT EXISTS exec_report_schedule_runs (
    schedule_id   TEXT NOT NULL,
    period_label  TEXT NOT NULL,
    run_trigger   TEXT NOT NULL,
    run_by        TEXT,
    run_at        TEXT NOT NULL,
    jobs_created  INTEGER NOT NULL DEFAULT 0,
    jobs_existing INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (schedule_id, period_label)
);
