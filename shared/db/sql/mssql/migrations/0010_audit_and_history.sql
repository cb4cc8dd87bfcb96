-- Who did what (the audit log) and each job's state history (Hangfire's state list).
-- The audit log is kept when retention deletes jobs: it is the record of what admins did.
IF OBJECT_ID(N'dbo.exec_report_audit_log', N'U') IS NULL
CREATE TABLE dbo.exec_report_audit_log (
    audit_id BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT pk_exec_report_audit_log PRIMARY KEY,
    at       DATETIME2(3)  NOT NULL,
    actor    NVARCHAR(256) NOT NULL,
    action   NVARCHAR(32)  NOT NULL,
    job_id   NVARCHAR(64)  NULL,
    detail   NVARCHAR(MAX) NULL
)
GO
-- One row per stored state change of a job: admin cancels and retries, and on retry the attempt
-- being replaced (its start and end, read off the job row before it is reset).
IF OBJECT_ID(N'dbo.exec_report_job_events', N'U') IS NULL
CREATE TABLE dbo.exec_report_job_events (
    event_id    BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT pk_exec_report_job_events PRIMARY KEY,
    job_id      NVARCHAR(64)  NOT NULL,
    at          DATETIME2(3)  NOT NULL,
    from_status NVARCHAR(16)  NULL,
    to_status   NVARCHAR(16)  NOT NULL,
    actor       NVARCHAR(256) NULL,
    detail      NVARCHAR(MAX) NULL
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_job_events_job' AND object_id = OBJECT_ID(N'dbo.exec_report_job_events'))
    CREATE INDEX ix_exec_report_job_events_job ON dbo.exec_report_job_events (job_id, event_id)
