-- One row per worker pass: the source of worker health, last run and failed runs.
IF OBJECT_ID(N'dbo.exec_report_worker_runs', N'U') IS NULL
CREATE TABLE dbo.exec_report_worker_runs (
    run_id      NVARCHAR(64)  NOT NULL CONSTRAINT pk_exec_report_worker_runs PRIMARY KEY,
    [trigger]   NVARCHAR(16)  NOT NULL,
    worker_id   NVARCHAR(100) NOT NULL,
    started_at  DATETIME2(3)  NOT NULL,
    finished_at DATETIME2(3)  NULL,
    reaped      INT NOT NULL CONSTRAINT df_exec_report_worker_runs_reaped DEFAULT 0,
    claimed     INT NOT NULL CONSTRAINT df_exec_report_worker_runs_claimed DEFAULT 0,
    succeeded   INT NOT NULL CONSTRAINT df_exec_report_worker_runs_succeeded DEFAULT 0,
    failed      INT NOT NULL CONSTRAINT df_exec_report_worker_runs_failed DEFAULT 0,
    requeued    INT NOT NULL CONSTRAINT df_exec_report_worker_runs_requeued DEFAULT 0,
    canceled    INT NOT NULL CONSTRAINT df_exec_report_worker_runs_canceled DEFAULT 0,
    error       NVARCHAR(MAX) NULL
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_worker_runs_started' AND object_id = OBJECT_ID(N'dbo.exec_report_worker_runs'))
    CREATE INDEX ix_exec_report_worker_runs_started ON dbo.exec_report_worker_runs (started_at)
