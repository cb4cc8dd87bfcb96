-- The notification outbox: one row per message to deliver (a failed job, a failure-rate alert),
-- written after the job's final state is committed and drained off the worker's thread.
-- dedupe_key makes each alert exist once, however many passes or instances see the same failure.
CREATE TABLE IF NOT EXISTS exec_report_notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    job_id          TEXT,
    dedupe_key      TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    event_at        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    sent_at         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX IF NOT EXISTS ix_exec_report_notifications_due ON exec_report_notifications (channel, sent_at, next_attempt_at);
CREATE INDEX IF NOT EXISTS ix_exec_report_notifications_attempted ON exec_report_notifications (last_attempt_at);
CREATE INDEX IF NOT EXISTS ix_exec_report_notifications_event ON exec_report_notifications (kind, event_at);
-- Finding jobs that failed since the last scan, and counting finished jobs in the rate window.
CREATE INDEX IF NOT EXISTS ix_exec_report_jobs_status_finished ON exec_report_jobs (status, finished_at);
