-- Search without scanning the wide jobs table: an indexed view holding, per job, only what a search
-- filters on and one line of its searchable text (scope key, creator, reason and the first 2,000
-- characters of the stack trace, as SQLite's trigram index 0011 holds them), separated by line
-- feeds, which a search box never contains (control characters are refused), so no match spans two
-- fields. SQL Server keeps it with every insert, update and delete, the queuing application's rows
-- included, as it does the counters (0006); no trigger is added to the users' table. Searches walk
-- its clustered index newest first and look up full rows only for the page they return.
IF OBJECT_ID(N'dbo.exec_report_job_search', N'V') IS NULL
    EXEC (N'CREATE VIEW dbo.exec_report_job_search WITH SCHEMABINDING AS
            SELECT job_id, created_at, status, scope_type,
                   ISNULL(scope_key, N'''') + NCHAR(10) + ISNULL(created_by, N'''') + NCHAR(10) + ISNULL(reason, N'''')
                   + NCHAR(10) + ISNULL(LEFT(error_detail, 2000), N'''') AS search_text
            FROM dbo.exec_report_jobs')
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_job_search' AND object_id = OBJECT_ID(N'dbo.exec_report_job_search'))
    CREATE UNIQUE CLUSTERED INDEX ux_exec_report_job_search ON dbo.exec_report_job_search (created_at, job_id)
