-- Who did what (the audit log) and each job's state history (Hangfire's state list).
-- The audit log is kept when retention deletes jobs: it is the record of what admins did.
CREATE TABLE IF NOT EXISTS exec_report_audit_log (
    audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    job_id   TEXT,
    detail   TEXT
);

-- One row per stored state change of a job: admin cancels and retries, and on retry the attempt
-- being replaced (its start and end, read off the job row before it is reset).
CREATE TABLE IF NOT EXISTS exec_report_job_events (
    event_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      TEXT NOT NULL,
    at          TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor       TEXT,
    detail      TEXT
);
CREATE INDEX IF NOT EXISTS ix_exec_report_job_events_job ON exec_report_job_events (job_id, event_id);
