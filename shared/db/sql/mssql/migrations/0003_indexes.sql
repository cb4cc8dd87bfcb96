-- Listing newest first, claiming oldest first (the claim index leads with status, for READPAST),
-- de-duplicating enqueues, and finding a job's snapshot.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_jobs_created' AND object_id = OBJECT_ID(N'dbo.exec_report_jobs'))
    CREATE INDEX ix_exec_report_jobs_created ON dbo.exec_report_jobs (created_at, job_id)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_jobs_status_created' AND object_id = OBJECT_ID(N'dbo.exec_report_jobs'))
    CREATE INDEX ix_exec_report_jobs_status_created ON dbo.exec_report_jobs (status, created_at, job_id)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_jobs_scope_period' AND object_id = OBJECT_ID(N'dbo.exec_report_jobs'))
    CREATE INDEX ix_exec_report_jobs_scope_period ON dbo.exec_report_jobs (scope_type, scope_key, iso_week, month_key, status)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_snapshots_job' AND object_id = OBJECT_ID(N'dbo.exec_report_snapshots'))
    CREATE INDEX ix_exec_report_snapshots_job ON dbo.exec_report_snapshots (job_id)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_snapshots_scope_period' AND object_id = OBJECT_ID(N'dbo.exec_report_snapshots'))
    CREATE INDEX ix_exec_report_snapshots_scope_period ON dbo.exec_report_snapshots (scope_type, scope_key, iso_week, month_key, created_at)
