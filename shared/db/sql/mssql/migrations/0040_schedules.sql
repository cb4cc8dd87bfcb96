-- Recurring report rules, and one row per (rule, period) it enqueued: the primary key on the
-- runs table is what makes each period run exactly once, however many instances evaluate rules.
IF OBJECT_ID(N'dbo.exec_report_schedules', N'U') IS NULL
CREATE TABLE dbo.exec_report_schedules (
    schedule_id NVARCHAR(64)  NOT NULL CONSTRAINT pk_exec_report_schedules PRIMARY KEY,
    name        NVARCHAR(100) NOT NULL,
    scope_type  NVARCHAR(50)  NOT NULL,
    scope_key   NVARCHAR(200) NULL,
    period_kind NVARCHAR(8)   NOT NULL CONSTRAINT ck_exec_report_schedules_period CHECK (period_kind IN (N'week', N'month')),
    cron        NVARCHAR(100) NOT NULL,
    timezone    NVARCHAR(64)  NOT NULL CONSTRAINT df_exec_report_schedules_timezone DEFAULT N'UTC',
    paused      BIT           NOT NULL CONSTRAINT df_exec_report_schedules_paused DEFAULT 0,
    created_by  NVARCHAR(256) NULL,
    created_at  DATETIME2(3)  NOT NULL,
    updated_at  DATETIME2(3)  NOT NULL,
    next_run_at DATETIME2(3)  NULL,
    last_run_at DATETIME2(3)  NULL,
    last_result NVARCHAR(MAX) NULL
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_schedules_name' AND object_id = OBJECT_ID(N'dbo.exec_report_schedules'))
    CREATE UNIQUE INDEX ux_exec_report_schedules_name ON dbo.exec_report_schedules (name)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_schedules_due' AND object_id = OBJECT_ID(N'dbo.exec_report_schedules'))
    CREATE INDEX ix_exec_report_schedules_due ON dbo.exec_report_schedules (paused, next_run_at)
GO
IF OBJECT_ID(N'dbo.exec_report_schedule_runs', N'U') IS NULL
CREATE TABLE dbo.exec_report_schedule_runs (
    schedule_id   NVARCHAR(64)  NOT NULL,
    period_label  NVARCHAR(8)   NOT NULL,
    run_trigger   NVARCHAR(16)  NOT NULL,
    run_by        NVARCHAR(256) NULL,
    run_at        DATETIME2(3)  NOT NULL,
    jobs_created  INT NOT NULL CONSTRAINT df_exec_report_schedule_runs_created DEFAULT 0,
    jobs_existing INT NOT NULL CONSTRAINT df_exec_report_schedule_runs_existing DEFAULT 0,
    CONSTRAINT pk_exec_report_schedule_runs PRIMARY KEY (schedule_id, period_label)
)
