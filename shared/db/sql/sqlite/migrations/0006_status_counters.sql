-- Per-status counters kept by triggers, so stats cost the same at 10k rows as at 10M (Hangfire's
-- approach). Triggers, not application code, so rows the queuing application inserts count too.
CREATE TABLE IF NOT EXISTS exec_report_job_counts (
    status TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
);
INSERT OR REPLACE INTO exec_report_job_counts (status, n)
    SELECT status, COUNT(*) FROM exec_report_jobs GROUP BY status;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_jobs_count_insert AFTER INSERT ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_job_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_jobs_count_delete AFTER DELETE ON exec_report_jobs
BEGIN
    UPDATE exec_report_job_counts SET n = n - 1 WHERE status = OLD.status;
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_jobs_count_update AFTER UPDATE OF status ON exec_report_jobs
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE exec_report_job_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO exec_report_job_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
