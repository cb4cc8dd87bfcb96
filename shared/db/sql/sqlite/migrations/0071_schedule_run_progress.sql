-- An all-scopes rule can fan out to thousands of scopes. Enqueueing them all in one transaction
-- holds the status-counter rows (and on SQL Server the counts view's rows) for seconds, so a run
-- now commits its scopes in small chunks. The run row keeps its place: the last scope enqueued
-- (scopes_after), the first jobs to show, and finished_at (NULL while the fan-out is under way).
-- Each chunk's jobs and the cursor commit together, so a run cut off part-way is resumed by the
-- next timer pass from where it stopped, and no scope is queued twice.
ALTER TABLE exec_report_schedule_runs ADD COLUMN scopes_after TEXT;
ALTER TABLE exec_report_schedule_runs ADD COLUMN jobs_shown TEXT;  -- JSON list, at most RESULT_JOBS_SHOWN
ALTER TABLE exec_report_schedule_runs ADD COLUMN finished_at TEXT;
-- Runs recorded before this migration enqueued everything in their one transaction.
UPDATE exec_report_schedule_runs SET finished_at = run_at WHERE finished_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_exec_report_schedule_runs_unfinished ON exec_report_schedule_runs (finished_at);
