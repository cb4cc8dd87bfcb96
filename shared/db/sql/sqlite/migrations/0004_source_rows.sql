-- Report input. The contract a user's own table or view must meet (SOURCE_ROWS_TABLE):
-- scope_type, scope_key, metric_date (YYYY-MM-DD), metric (name), value (number).
CREATE TABLE IF NOT EXISTS exec_report_source_rows (
    scope_type  TEXT NOT NULL,
    scope_key   TEXT NOT NULL,
    metric_date TEXT NOT NULL,
    metric      TEXT NOT NULL,
    value       REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_exec_report_source_rows_scope_date ON exec_report_source_rows (scope_type, scope_key, metric_date);
