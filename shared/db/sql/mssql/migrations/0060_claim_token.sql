-- Fence on the attempt, not the worker: every claim writes a new random token (NEWID() per row),
-- and heartbeat, complete, fail, retry and release of that attempt must present it. An attempt
-- that was canceled, retried and claimed again (even by the same pass) can then never finish the
-- new attempt. The check makes a re-run a no-op.
IF COL_LENGTH(N'dbo.exec_report_jobs', N'claim_token') IS NULL
    ALTER TABLE dbo.exec_report_jobs ADD claim_token VARCHAR(36) NULL
GO
