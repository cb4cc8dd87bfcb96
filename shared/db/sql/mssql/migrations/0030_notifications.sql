-- The notification outbox: one row per message to deliver (a failed job, a failure-rate alert),
-- written after the job's final state is committed and drained off the worker's thread.
-- dedupe_key makes each alert exist once, however many passes or instances see the same failure.
IF OBJECT_ID(N'dbo.exec_report_notifications', N'U') IS NULL
CREATE TABLE dbo.exec_report_notifications (
    id              BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT pk_exec_report_notifications PRIMARY KEY,
    channel         NVARCHAR(16)  NOT NULL,
    kind            NVARCHAR(32)  NOT NULL,
    job_id          NVARCHAR(64)  NULL,
    dedupe_key      NVARCHAR(200) NOT NULL CONSTRAINT ux_exec_report_notifications_dedupe UNIQUE,
    payload         NVARCHAR(MAX) NOT NULL,
    event_at        DATETIME2(3)  NOT NULL,
    created_at      DATETIME2(3)  NOT NULL,
    next_attempt_at DATETIME2(3)  NOT NULL,
    last_attempt_at DATETIME2(3)  NULL,
    sent_at         DATETIME2(3)  NULL,
    attempts        INT NOT NULL CONSTRAINT df_exec_report_notifications_attempts DEFAULT 0,
    last_error      NVARCHAR(1000) NULL
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_notifications_due' AND object_id = OBJECT_ID(N'dbo.exec_report_notifications'))
    CREATE INDEX ix_exec_report_notifications_due ON dbo.exec_report_notifications (channel, sent_at, next_attempt_at)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_notifications_attempted' AND object_id = OBJECT_ID(N'dbo.exec_report_notifications'))
    CREATE INDEX ix_exec_report_notifications_attempted ON dbo.exec_report_notifications (last_attempt_at)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_notifications_event' AND object_id = OBJECT_ID(N'dbo.exec_report_notifications'))
    CREATE INDEX ix_exec_report_notifications_event ON dbo.exec_report_notifications (kind, event_at)
GO
-- Finding jobs that failed since the last scan, and counting finished jobs in the rate window.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_jobs_status_finished' AND object_id = OBJECT_ID(N'dbo.exec_report_jobs'))
    CREATE INDEX ix_exec_report_jobs_status_finished ON dbo.exec_report_jobs (status, finished_at)
