-- An all-scopes rule can fan out to thousands of scopes. Enqueueing them all in one transaction
-- keeps every touched row of the indexed counts view X-locked until commit (an indexed view is
-- maintained inside the writing statement's transaction), so a run now commits its scopes in small
-- chunks. The run row keeps its place: the last scope enqueued (scopes_after), the first jobs to
-- show, and finished_at (NULL while the fan-out is under way). Each chunk's jobs and the cursor
-- commit together, so a run cut off part-way is resumed by the next timer pass from where it
-- stopped, and no scope is queued twice.
IF COL_LENGTH(N'dbo.exec_report_schedule_runs', N'scopes_after') IS NULL
    ALTER TABLE dbo.exec_report_schedule_runs ADD scopes_after NVARCHAR(256) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_schedule_runs', N'jobs_shown') IS NULL
    ALTER TABLE dbo.exec_report_schedule_runs ADD jobs_shown NVARCHAR(MAX) NULL
GO
IF COL_LENGTH(N'dbo.exec_report_schedule_runs', N'finished_at') IS NULL
    ALTER TABLE dbo.exec_report_schedule_runs ADD finished_at DATETIME2(3) NULL
GO
-- Runs recorded before this migration enqueued everything in their one transaction. Only while the
-- index below is missing, i.e. on the first application: a re-run must not finish live fan-outs.
UPDATE dbo.exec_report_schedule_runs SET finished_at = run_at
WHERE finished_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_schedule_runs_unfinished'
                  AND object_id = OBJECT_ID(N'dbo.exec_report_schedule_runs'))
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_exec_report_schedule_runs_unfinished'
               AND object_id = OBJECT_ID(N'dbo.exec_report_schedule_runs'))
    CREATE INDEX ix_exec_report_schedule_runs_unfinished ON dbo.exec_report_schedule_runs (finished_at)
GO
