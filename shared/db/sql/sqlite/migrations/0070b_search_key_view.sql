-- The search key of 0070 in one place: a view the triggers and the searches read (a search that
-- walks one status's index tests each row against the trigram index by its key). The keys are the
-- same, so the index stays as 0070 built it; only its triggers change, and the rule that 0070's
-- triggers computed inline now lives in the view alone. (Measured on the 1M-job bench database:
-- the trigram index is 339 MB keyed this way, 213 MB keyed by rowid before 0070.)
DROP TRIGGER IF EXISTS tr_exec_report_job_search_insert;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_delete;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_update;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_update_old;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_update_new;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_delta;
DROP VIEW IF EXISTS exec_report_job_search_delta;
DROP VIEW IF EXISTS exec_report_job_search_keys;

-- The key, written once: the triggers below and the searches read it from this view. A row's old
-- key is read before its delete or update (BEFORE triggers change only the index, never the row:
-- sqlite.org/lang_createtrigger.html#cautions_on_the_use_of_before_triggers), its new one after.
CREATE VIEW exec_report_job_search_keys AS
SELECT rowid AS job_rowid,
       CASE WHEN rowid BETWEEN 1 AND 2147483647 AND strftime('%Y-%m-%d %H:%M:%f', created_at) IS created_at
            THEN max(CAST(strftime('%s', created_at) AS INTEGER) / 60, 0) * 2147483648 + rowid
            ELSE -rowid END AS search_key
FROM exec_report_jobs;

CREATE TRIGGER tr_exec_report_job_search_insert AFTER INSERT ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_job_search (rowid, scope_key, created_by, reason, error_detail)
    SELECT search_key, NEW.scope_key, NEW.created_by, NEW.reason, substr(NEW.error_detail, 1, 2000)
    FROM exec_report_job_search_keys WHERE job_rowid = NEW.rowid;
END;

CREATE TRIGGER tr_exec_report_job_search_delete BEFORE DELETE ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_job_search (exec_report_job_search, rowid, scope_key, created_by, reason, error_detail)
    SELECT 'delete', search_key, OLD.scope_key, OLD.created_by, OLD.reason, substr(OLD.error_detail, 1, 2000)
    FROM exec_report_job_search_keys WHERE job_rowid = OLD.rowid;
END;

-- Claims, lease renewals and completions (reason NULL -> 'ok': no trigram in either) skip these.
CREATE TRIGGER tr_exec_report_job_search_update_old BEFORE UPDATE OF created_at, scope_key, created_by, reason, error_detail ON exec_report_jobs
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.scope_key IS NOT NEW.scope_key OR OLD.created_by IS NOT NEW.created_by
  OR substr(OLD.error_detail, 1, 2000) IS NOT substr(NEW.error_detail, 1, 2000)
  OR (OLD.reason IS NOT NEW.reason AND (length(OLD.reason) >= 3 OR length(NEW.reason) >= 3))
BEGIN
    INSERT INTO exec_report_job_search (exec_report_job_search, rowid, scope_key, created_by, reason, error_detail)
    SELECT 'delete', search_key, OLD.scope_key, OLD.created_by, OLD.reason, substr(OLD.error_detail, 1, 2000)
    FROM exec_report_job_search_keys WHERE job_rowid = OLD.rowid;
END;

CREATE TRIGGER tr_exec_report_job_search_update_new AFTER UPDATE OF created_at, scope_key, created_by, reason, error_detail ON exec_report_jobs
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.scope_key IS NOT NEW.scope_key OR OLD.created_by IS NOT NEW.created_by
  OR substr(OLD.error_detail, 1, 2000) IS NOT substr(NEW.error_detail, 1, 2000)
  OR (OLD.reason IS NOT NEW.reason AND (length(OLD.reason) >= 3 OR length(NEW.reason) >= 3))
BEGIN
    INSERT INTO exec_report_job_search (rowid, scope_key, created_by, reason, error_detail)
    SELECT search_key, NEW.scope_key, NEW.created_by, NEW.reason, substr(NEW.error_detail, 1, 2000)
    FROM exec_report_job_search_keys WHERE job_rowid = NEW.rowid;
END;
