-- The "Retrying" chip counts queued jobs whose next attempt is still ahead on every list read (every
-- 2 s while auto-refresh is on); this index answers it from the queued jobs' run_after alone.
CREATE INDEX IF NOT EXISTS ix_exec_report_jobs_status_run_after ON exec_report_jobs (status, run_after);
