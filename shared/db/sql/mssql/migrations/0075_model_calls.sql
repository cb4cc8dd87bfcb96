-- Issue 19: what the model was asked and what it answered. One row per model call of each attempt
-- (the first call, and the repair request after an answer that broke the schema), written by the
-- worker right after the call so failed and lost attempts keep theirs. Texts are capped per call by
-- shared/traces/capture.py (truncated = 1 then); secrets are masked before they are stored. Charts
-- never read this table: the metrics rollups of migration 0020 stay what they were.
IF OBJECT_ID(N'dbo.exec_report_model_calls', N'U') IS NULL
CREATE TABLE dbo.exec_report_model_calls (
    call_id           BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT pk_exec_report_model_calls PRIMARY KEY,
    job_id            NVARCHAR(64)  NOT NULL,
    attempt           INT           NOT NULL,
    call_no           INT           NOT NULL,
    started_at        DATETIME2(3)  NOT NULL,
    generator         NVARCHAR(20)  NOT NULL,
    model             NVARCHAR(200) NULL,
    answered_model    NVARCHAR(200) NULL,
    prompt_version    NVARCHAR(80)  NULL,
    parameters_json   NVARCHAR(MAX) NOT NULL,
    messages_json     NVARCHAR(MAX) NOT NULL,
    answer_text       NVARCHAR(MAX) NULL,
    finish_reason     NVARCHAR(40)  NULL,
    prompt_tokens     INT           NULL,
    completion_tokens INT           NULL,
    latency_ms        INT           NULL,
    request_id        NVARCHAR(200) NULL,
    outcome           NVARCHAR(10)  NOT NULL,
    problem           NVARCHAR(MAX) NULL,
    truncated         BIT           NOT NULL CONSTRAINT df_exec_report_model_calls_truncated DEFAULT 0
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_model_calls_job'
               AND object_id = OBJECT_ID(N'dbo.exec_report_model_calls'))
    CREATE INDEX ix_exec_report_model_calls_job ON dbo.exec_report_model_calls (job_id, call_id)
GO
-- The model a job asked for (a re-run's choice from MODEL_CHOICES; NULL: the configured generator),
-- the job it re-runs, and what its latest attempt used: the model comparison reads this small row
-- per job, never the traces.
IF OBJECT_ID(N'dbo.exec_report_job_models', N'U') IS NULL
CREATE TABLE dbo.exec_report_job_models (
    job_id         NVARCHAR(64)  NOT NULL CONSTRAINT pk_exec_report_job_models PRIMARY KEY,
    model_choice   NVARCHAR(250) NULL,
    rerun_of       NVARCHAR(64)  NULL,
    generator      NVARCHAR(20)  NULL,
    model          NVARCHAR(200) NULL,
    prompt_version NVARCHAR(80)  NULL,
    updated_at     DATETIME2(3)  NOT NULL
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_job_models_updated'
               AND object_id = OBJECT_ID(N'dbo.exec_report_job_models'))
    CREATE INDEX ix_exec_report_job_models_updated ON dbo.exec_report_job_models (updated_at)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_job_models_rerun'
               AND object_id = OBJECT_ID(N'dbo.exec_report_job_models'))
    CREATE INDEX ix_exec_report_job_models_rerun ON dbo.exec_report_job_models (rerun_of)
GO
-- An admin's rating of a job's report: good or bad, with an optional note; the latest one counts,
-- the audit log keeps every one.
IF OBJECT_ID(N'dbo.exec_report_feedback', N'U') IS NULL
CREATE TABLE dbo.exec_report_feedback (
    job_id   NVARCHAR(64)   NOT NULL CONSTRAINT pk_exec_report_feedback PRIMARY KEY,
    rating   NVARCHAR(4)    NOT NULL CONSTRAINT ck_exec_report_feedback_rating CHECK (rating IN (N'good', N'bad')),
    note     NVARCHAR(1000) NULL,
    rated_by NVARCHAR(200)  NOT NULL,
    rated_at DATETIME2(3)   NOT NULL
)
GO
-- The prompt version (name and content hash of the prompt template and schema) each snapshot was made with.
IF COL_LENGTH(N'dbo.exec_report_snapshots', N'prompt_version') IS NULL
    ALTER TABLE dbo.exec_report_snapshots ADD prompt_version NVARCHAR(80) NULL
GO
