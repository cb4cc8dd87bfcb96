-- Hourly rollups behind /api/admin/metrics and /api/admin/usage as indexed views: SQL Server keeps
-- them with every insert, update and delete (the queuing application's rows and retention's deletes
-- included), and building each view's index is the initial fill. sqlite/0020 keeps tables of the
-- same names and columns with triggers. A job counts once, in the UTC hour it was created, as its
-- latest attempt left it; timings go into fixed log-scale bins so p50/p95 come from bin counts.

-- The bins, in whole milliseconds: below 5 ms each value has its own bin, above it a bin spans
-- [lower, lower * 1.2], so its value_ms is within 1/11 (9.1%) of every value in it. Bin 0 holds
-- everything under 1 ms (negative spans from clock skew included) and reads as 0; the last bin
-- holds everything from about 3 years up.
IF OBJECT_ID(N'dbo.exec_report_metrics_bins', N'U') IS NULL
CREATE TABLE dbo.exec_report_metrics_bins (
    bin      INT    NOT NULL CONSTRAINT pk_exec_report_metrics_bins PRIMARY KEY,
    lower_ms BIGINT NOT NULL,
    upper_ms BIGINT NOT NULL,
    value_ms FLOAT  NOT NULL
)
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_metrics_bins_lower' AND object_id = OBJECT_ID(N'dbo.exec_report_metrics_bins'))
    CREATE UNIQUE INDEX ux_exec_report_metrics_bins_lower ON dbo.exec_report_metrics_bins (lower_ms) INCLUDE (upper_ms)
GO
IF NOT EXISTS (SELECT 1 FROM dbo.exec_report_metrics_bins)
BEGIN
    WITH edges (bin, lower_ms, upper_ms) AS (
        SELECT 1, CAST(1 AS BIGINT), CAST(2 AS BIGINT)
        UNION ALL
        SELECT bin + 1, upper_ms, upper_ms * 6 / 5 + 1 FROM edges WHERE upper_ms <= 100000000000
    )
    INSERT INTO dbo.exec_report_metrics_bins (bin, lower_ms, upper_ms, value_ms)
    SELECT 0, -9000000000000000000, 1, 0.0
    UNION ALL
    SELECT bin, lower_ms, upper_ms, 2.0 * lower_ms * (upper_ms - 1) / (lower_ms + upper_ms - 1) FROM edges
    UNION ALL
    SELECT MAX(bin) + 1, MAX(upper_ms), 9000000000000000000, MAX(upper_ms) FROM edges
    OPTION (MAXRECURSION 200);
END
GO
-- epoch_hour: whole hours since 1970-01-01 UTC of the job's created_at (style 112 keeps the
-- conversion deterministic, as an indexed view requires).
IF OBJECT_ID(N'dbo.exec_report_metrics_jobs', N'V') IS NULL
    EXEC (N'CREATE VIEW dbo.exec_report_metrics_jobs WITH SCHEMABINDING AS
            SELECT DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), created_at) AS epoch_hour, status, COUNT_BIG(*) AS jobs
            FROM dbo.exec_report_jobs
            GROUP BY DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), created_at), status')
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_metrics_jobs' AND object_id = OBJECT_ID(N'dbo.exec_report_metrics_jobs'))
    CREATE UNIQUE CLUSTERED INDEX ux_exec_report_metrics_jobs ON dbo.exec_report_metrics_jobs (epoch_hour, status)
GO
-- Queue wait (created_at to started_at) of every job that has started.
IF OBJECT_ID(N'dbo.exec_report_metrics_wait', N'V') IS NULL
    EXEC (N'CREATE VIEW dbo.exec_report_metrics_wait WITH SCHEMABINDING AS
            SELECT DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at) AS epoch_hour, b.bin, COUNT_BIG(*) AS n
            FROM dbo.exec_report_jobs AS j
            JOIN dbo.exec_report_metrics_bins AS b
              ON DATEDIFF_BIG(MILLISECOND, j.created_at, j.started_at) >= b.lower_ms
             AND DATEDIFF_BIG(MILLISECOND, j.created_at, j.started_at) < b.upper_ms
            GROUP BY DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at), b.bin')
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_metrics_wait' AND object_id = OBJECT_ID(N'dbo.exec_report_metrics_wait'))
    CREATE UNIQUE CLUSTERED INDEX ux_exec_report_metrics_wait ON dbo.exec_report_metrics_wait (epoch_hour, bin)
GO
-- Processing time (started_at to finished_at) of succeeded and failed jobs.
IF OBJECT_ID(N'dbo.exec_report_metrics_run', N'V') IS NULL
    EXEC (N'CREATE VIEW dbo.exec_report_metrics_run WITH SCHEMABINDING AS
            SELECT DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at) AS epoch_hour, b.bin, COUNT_BIG(*) AS n
            FROM dbo.exec_report_jobs AS j
            JOIN dbo.exec_report_metrics_bins AS b
              ON DATEDIFF_BIG(MILLISECOND, j.started_at, j.finished_at) >= b.lower_ms
             AND DATEDIFF_BIG(MILLISECOND, j.started_at, j.finished_at) < b.upper_ms
            WHERE j.status IN (N''succeeded'', N''failed'')
            GROUP BY DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at), b.bin')
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_metrics_run' AND object_id = OBJECT_ID(N'dbo.exec_report_metrics_run'))
    CREATE UNIQUE CLUSTERED INDEX ux_exec_report_metrics_run ON dbo.exec_report_metrics_run (epoch_hour, bin)
GO
-- Snapshots joined to their jobs, per model ('' when not recorded) and outcome (succeeded, failed,
-- or other for any other status). SUM needs non-null arguments in an indexed view, hence ISNULL.
IF OBJECT_ID(N'dbo.exec_report_metrics_models', N'V') IS NULL
    EXEC (N'CREATE VIEW dbo.exec_report_metrics_models WITH SCHEMABINDING AS
            SELECT DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at) AS epoch_hour,
                   ISNULL(s.gen_model, N'''') AS model,
                   CASE WHEN j.status IN (N''succeeded'', N''failed'') THEN j.status ELSE N''other'' END AS outcome,
                   COUNT_BIG(*) AS jobs,
                   SUM(CASE WHEN s.gen_ms IS NULL THEN 0 ELSE 1 END) AS gen_count,
                   SUM(ISNULL(CAST(s.gen_ms AS BIGINT), 0)) AS gen_ms_sum,
                   SUM(ISNULL(CAST(s.prompt_tokens AS BIGINT), 0)) AS prompt_tokens,
                   SUM(ISNULL(CAST(s.completion_tokens AS BIGINT), 0)) AS completion_tokens,
                   SUM(CASE WHEN s.prompt_tokens IS NULL AND s.completion_tokens IS NULL THEN 0 ELSE 1 END) AS jobs_with_usage
            FROM dbo.exec_report_snapshots AS s
            JOIN dbo.exec_report_jobs AS j ON j.job_id = s.job_id
            GROUP BY DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at), ISNULL(s.gen_model, N''''),
                     CASE WHEN j.status IN (N''succeeded'', N''failed'') THEN j.status ELSE N''other'' END')
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_metrics_models' AND object_id = OBJECT_ID(N'dbo.exec_report_metrics_models'))
    CREATE UNIQUE CLUSTERED INDEX ux_exec_report_metrics_models ON dbo.exec_report_metrics_models (epoch_hour, model, outcome)
GO
-- Generation time of the snapshots of succeeded and failed jobs, per model.
IF OBJECT_ID(N'dbo.exec_report_metrics_gen', N'V') IS NULL
    EXEC (N'CREATE VIEW dbo.exec_report_metrics_gen WITH SCHEMABINDING AS
            SELECT DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at) AS epoch_hour,
                   ISNULL(s.gen_model, N'''') AS model, b.bin, COUNT_BIG(*) AS n
            FROM dbo.exec_report_snapshots AS s
            JOIN dbo.exec_report_jobs AS j ON j.job_id = s.job_id
            JOIN dbo.exec_report_metrics_bins AS b ON s.gen_ms >= b.lower_ms AND s.gen_ms < b.upper_ms
            WHERE j.status IN (N''succeeded'', N''failed'')
            GROUP BY DATEDIFF(HOUR, CONVERT(DATETIME2(3), ''19700101'', 112), j.created_at), ISNULL(s.gen_model, N''''), b.bin')
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_exec_report_metrics_gen' AND object_id = OBJECT_ID(N'dbo.exec_report_metrics_gen'))
    CREATE UNIQUE CLUSTERED INDEX ux_exec_report_metrics_gen ON dbo.exec_report_metrics_gen (epoch_hour, model, bin)
