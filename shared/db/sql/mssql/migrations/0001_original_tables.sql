-- The two tables as the original system defined them (SPEC.md). Existing tables are left as they are.
IF OBJECT_ID(N'dbo.exec_report_jobs', N'U') IS NULL
CREATE TABLE dbo.exec_report_jobs (
    job_id      NVARCHAR(64)  NOT NULL CONSTRAINT pk_exec_report_jobs PRIMARY KEY,
    scope_type  NVARCHAR(50)  NOT NULL,
    scope_key   NVARCHAR(200) NOT NULL,
    iso_week    NVARCHAR(8)   NULL,
    month_key   NVARCHAR(7)   NULL,
    status      NVARCHAR(16)  NOT NULL CONSTRAINT df_exec_report_jobs_status DEFAULT N'queued',
    reason      NVARCHAR(MAX) NULL,
    created_at  DATETIME2(3)  NOT NULL CONSTRAINT df_exec_report_jobs_created DEFAULT SYSUTCDATETIME(),
    started_at  DATETIME2(3)  NULL,
    finished_at DATETIME2(3)  NULL,
    created_by  NVARCHAR(256) NULL
)
GO
IF OBJECT_ID(N'dbo.exec_report_snapshots', N'U') IS NULL
CREATE TABLE dbo.exec_report_snapshots (
    snapshot_id   BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT pk_exec_report_snapshots PRIMARY KEY,
    scope_type    NVARCHAR(50)  NOT NULL,
    scope_key     NVARCHAR(200) NOT NULL,
    iso_week      NVARCHAR(8)   NULL,
    month_key     NVARCHAR(7)   NULL,
    analysis_json NVARCHAR(MAX) NOT NULL,
    created_at    DATETIME2(3)  NOT NULL CONSTRAINT df_exec_report_snapshots_created DEFAULT SYSUTCDATETIME(),
    rows_used     INT NULL,
    gen_model     NVARCHAR(100) NULL,
    gen_ms        INT NULL
)
