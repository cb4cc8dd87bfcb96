-- Listing newest first (all, or one status), claiming oldest first, de-duplicating enqueues, and
-- finding a job's snapshot. job_id ends each key so that ties in created_at have a stable order.
CREATE INDEX IF NOT EXISTS ix_exec_report_jobs_created ON exec_report_jobs (created_at, job_id);
CREATE INDEX IF NOT EXISTS ix_exec_report_jobs_status_created ON exec_report_jobs (status, created_at, job_id);
CREATE INDEX IF NOT EXISTS ix_exec_report_jobs_scope_period ON exec_report_jobs (scope_type, scope_key, iso_week, month_key, status);
CREATE INDEX IF NOT EXISTS ix_exec_report_snapshots_job ON exec_report_snapshots (job_id);
CREATE INDEX IF NOT EXISTS ix_exec_report_snapshots_scope_period ON exec_report_snapshots (scope_type, scope_key, iso_week, month_key, created_at);
