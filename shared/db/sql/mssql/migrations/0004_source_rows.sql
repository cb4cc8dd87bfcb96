-- Report input. The contract a user's own table or view must meet (SOURCE_ROWS_TABLE):
-- scope_type, scope_key, metric_date (DATE), metric (name), value (number).
IF OBJECT_ID(N'dbo.exec_report_source_rows', N'U') IS NULL
CREATE TABLE dbo.exec_report_source_rows (
    scope_type  NVARCHAR(50)  NOT NULL,
    scope_key   NVARCHAR(200) NOT NULL,
    metric_date DATE          NOT NULL,
    metric      NVARCHAR(100) NOT NULL,
    value       FLOAT         NOT NULL
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_source_rows_scope_date' AND object_id = OBJECT_ID(N'dbo.exec_report_source_rows'))
    CREATE INDEX ix_exec_report_source_rows_scope_date ON dbo.exec_report_source_rows (scope_type, scope_key, metric_date)
