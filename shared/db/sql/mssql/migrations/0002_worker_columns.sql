-- What the worker needs beyond the original columns. Each ADD checks first, so a re-run is a no-op.
IF COL_LENGTH(N'dbo.exec_report_jobs', N'attempts') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD attempts INT NOT NULL CONSTRAINT df_exec_report_jobs_attempts DEFAULT 0
GO
IF COL_LENGTH(N'dbo.exec_report_jobs', N'max_attempts') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD max_attempts INT NOT NULL CONSTRAINT df_exec_report_jobs_max_attempts DEFAULT 3
GO
IF COL_LENGTH(N'dbo.exec_report_jobs', N'worker_id') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD worker_id NVARCHAR(100) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_jobs', N'lease_expires_at') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD lease_expires_at DATETIME2(3) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_jobs', N'heartbeat_at') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD heartbeat_at DATETIME2(3) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_jobs', N'run_after') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD run_after DATETIME2(3) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_jobs', N'error_detail') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD error_detail NVARCHAR(MAX) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_snapshots', N'job_id') IS NULL
    ALTER TABLE dbo.exec_report_snapshots ADD job_id NVARCHAR(64) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_snapshots', N'prompt_tokens') IS NULL
    ALTER TABLE dbo.exec_report_snapshots ADD prompt_tokens INT NULL
GO
IF COL_LENGTH(N'dbo.exec_report_snapshots', N'completion_tokens') IS NULL
    ALTER TABLE dbo.exec_report_snapshots ADD completion_tokens INT NULL
