-- Search over scope key, created_by and error text without scanning the jobs table: an FTS5 index
-- with the trigram tokenizer (substring matches of 3+ characters, case-insensitive), kept in sync
-- by triggers so rows the queuing application writes are found too. Only the first 2,000
-- characters of a stack trace are indexed; the message that matters is near its top and bottom
-- lines, and whole traces would multiply the index size.
CREATE VIRTUAL TABLE IF NOT EXISTS exec_report_jobs_fts USING fts5(
    scope_key, created_by, reason, error_detail,
    content = '', tokenize = 'trigram'
);

-- Contentless: the index holds only what it needs to find a job's rowid, the text stays in the
-- table. The initial fill (a no-op on a new database); emptied first so a re-run adds nothing twice.
INSERT INTO exec_report_jobs_fts (exec_report_jobs_fts) VALUES ('delete-all');
INSERT INTO exec_report_jobs_fts (rowid, scope_key, created_by, reason, error_detail)
SELECT rowid, scope_key, created_by, reason, substr(error_detail, 1, 2000) FROM exec_report_jobs;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_jobs_fts_insert AFTER INSERT ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_jobs_fts (rowid, scope_key, created_by, reason, error_detail)
    VALUES (NEW.rowid, NEW.scope_key, NEW.created_by, NEW.reason, substr(NEW.error_detail, 1, 2000));
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_jobs_fts_delete AFTER DELETE ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_jobs_fts (exec_report_jobs_fts, rowid, scope_key, created_by, reason, error_detail)
    VALUES ('delete', OLD.rowid, OLD.scope_key, OLD.created_by, OLD.reason, substr(OLD.error_detail, 1, 2000));
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_jobs_fts_update AFTER UPDATE OF scope_key, created_by, reason, error_detail ON exec_report_jobs
WHEN OLD.scope_key IS NOT NEW.scope_key OR OLD.created_by IS NOT NEW.created_by
  OR OLD.reason IS NOT NEW.reason OR OLD.error_detail IS NOT NEW.error_detail
BEGIN
    INSERT INTO exec_report_jobs_fts (exec_report_jobs_fts, rowid, scope_key, created_by, reason, error_detail)
    VALUES ('delete', OLD.rowid, OLD.scope_key, OLD.created_by, OLD.reason, substr(OLD.error_detail, 1, 2000));
    INSERT INTO exec_report_jobs_fts (rowid, scope_key, created_by, reason, error_detail)
    VALUES (NEW.rowid, NEW.scope_key, NEW.created_by, NEW.reason, substr(NEW.error_detail, 1, 2000));
END;
