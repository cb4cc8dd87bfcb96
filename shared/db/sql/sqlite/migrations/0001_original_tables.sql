-- The two tables as the original system defined them (SPEC.md). Existing tables are left as they are.
CREATE TABLE IF NOT EXISTS exec_report_jobs (
    job_id      TEXT PRIMARY KEY,
    scope_type  TEXT NOT NULL,
    scope_key   TEXT NOT NULL,
    iso_week    TEXT,
    month_key   TEXT,
    status      TEXT NOT NULL DEFAULT 'queued',
    reason      TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    started_at  TEXT,
    finished_at TEXT,
    created_by  TEXT
);

CREATE TABLE IF NOT EXISTS exec_report_snapshots (
    snapshot_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_type    TEXT NOT NULL,
    scope_key     TEXT NOT NULL,
    iso_week      TEXT,
    month_key     TEXT,
    analysis_json TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    rows_used     INTEGER,
    gen_model     TEXT,
    gen_ms        INTEGER
);
