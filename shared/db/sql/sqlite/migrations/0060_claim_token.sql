-- Fence on the attempt, not the worker: every claim writes a new random token, and heartbeat,
-- complete, fail, retry and release of that attempt must present it. An attempt that was canceled,
-- retried and claimed again (even by the same pass) can then never finish the new attempt.
ALTER TABLE exec_report_jobs ADD COLUMN claim_token TEXT;
