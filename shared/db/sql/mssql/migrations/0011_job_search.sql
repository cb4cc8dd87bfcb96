-- Search on SQL Server: the job id prefix uses the primary key as a range; the other text fields
-- are matched with LIKE (see search_* in queries.sql). Full-text indexes are not created here:
-- CREATE FULLTEXT INDEX cannot run inside the transaction each migration runs in, and needs a
-- catalog the DBA owns. The index below serves the scope-type filter and created_by lookups.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_jobs_scope_type_created' AND object_id = OBJECT_ID(N'dbo.exec_report_jobs'))
    CREATE INDEX ix_exec_report_jobs_scope_type_created ON dbo.exec_report_jobs (scope_type, created_at, job_id)
