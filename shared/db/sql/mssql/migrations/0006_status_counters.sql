-- Per-status counts as an indexed view: SQL Server maintains it with every insert, update and
-- delete (rows the queuing application writes included), so stats stay cheap at any table size.
IF OBJECT_ID(N'dbo.exec_report_job_counts', N'V') IS NULL
    EXEC (N'CREATE VIEW dbo.exec_report_job_counts WITH SCHEMABINDING AS
            SELECT status, COUNT_BIG(*) AS n FROM dbo.exec_report_jobs GROUP BY status')
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_job_counts' AND object_id = OBJECT_ID(N'dbo.exec_report_job_counts'))
    CREATE UNIQUE CLUSTERED INDEX ux_exec_report_job_counts ON dbo.exec_report_job_counts (status)
