-- What the worker needs beyond the original columns: attempts, a lease, its owner, retry timing,
-- error detail, and a direct job link plus token usage on snapshots.
ALTER TABLE exec_report_jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exec_report_jobs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 3;
ALTER TABLE exec_report_jobs ADD COLUMN worker_id TEXT;
ALTER TABLE exec_report_jobs ADD COLUMN lease_expires_at TEXT;
ALTER TABLE exec_report_jobs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE exec_report_jobs ADD COLUMN run_after TEXT;
ALTER TABLE exec_report_jobs ADD COLUMN error_detail TEXT;

ALTER TABLE exec_report_snapshots ADD COLUMN job_id TEXT;
ALTER TABLE exec_report_snapshots ADD COLUMN prompt_tokens INTEGER;
ALTER TABLE exec_report_snapshots ADD COLUMN completion_tokens INTEGER;
