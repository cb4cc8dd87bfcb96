-- The "Retrying" chip counts queued jobs whose next attempt is still ahead on every list read (every
-- 2 s while auto-refresh is on); this index answers it from the queued jobs' run_after alone.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_jobs_status_run_after' AND object_id = OBJECT_ID(N'dbo.exec_report_jobs'))
    CREATE INDEX ix_exec_report_jobs_status_run_after ON dbo.exec_report_jobs (status, run_after)
GO
