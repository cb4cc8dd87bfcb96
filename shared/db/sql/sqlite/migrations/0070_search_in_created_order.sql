-- The trigram index of 0011 again, keyed in created order, so a search walks its matches newest
-- first and stops after a page and the capped count (the reply's "1,000+") instead of collecting
-- every match of a common term and sorting them: its cost now depends on the page, not on how many
-- jobs match. An index rowid (the search key) is the job's created_at minute (whole minutes since
-- 1970, earlier ones as 0) times 2^31 plus the job's rowid, so keys sort by minute and decode to the
-- row (rowid = key % 2^31). Within one minute the search re-sorts its matches by (created_at, job_id).
-- A created_at not in the app's stored form (YYYY-MM-DD HH:MM:SS.fff, which sorts as text in time
-- order) and a rowid of 2^31 or more take the key -rowid: searches always read those few matches.
-- Keys grow the index (rowid deltas no longer fit in a byte or two: 177 -> about 280 MB at 1M jobs).
-- Like 0011 and 0050, a change that cannot change what a search finds is skipped.
DROP TRIGGER IF EXISTS tr_exec_report_jobs_fts_insert;
DROP TRIGGER IF EXISTS tr_exec_report_jobs_fts_delete;
DROP TRIGGER IF EXISTS tr_exec_report_jobs_fts_update;
DROP TABLE IF EXISTS exec_report_jobs_fts;

DROP TRIGGER IF EXISTS tr_exec_report_job_search_insert;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_delete;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_update;
DROP TRIGGER IF EXISTS tr_exec_report_job_search_delta;
DROP VIEW IF EXISTS exec_report_job_search_delta;
DROP TABLE IF EXISTS exec_report_job_search;

CREATE VIRTUAL TABLE exec_report_job_search USING fts5(
    scope_key, created_by, reason, error_detail,
    content = '', tokenize = 'trigram'
);

-- The key is written once: inserting a row into this (always empty) view adds it to the index
-- (sign 1) or takes it out (sign -1), as the rollups of 0020 do.
CREATE VIEW exec_report_job_search_delta AS
SELECT rowid AS job_rowid, created_at, scope_key, created_by, reason, error_detail, 0 AS sign FROM exec_report_jobs WHERE 0;

CREATE TRIGGER tr_exec_report_job_search_delta INSTEAD OF INSERT ON exec_report_job_search_delta
BEGIN
    INSERT INTO exec_report_job_search (exec_report_job_search, rowid, scope_key, created_by, reason, error_detail)
    SELECT CASE WHEN NEW.sign < 0 THEN 'delete' END,
           CASE WHEN NEW.job_rowid BETWEEN 1 AND 2147483647 AND strftime('%Y-%m-%d %H:%M:%f', NEW.created_at) IS NEW.created_at
                THEN max(CAST(strftime('%s', NEW.created_at) AS INTEGER) / 60, 0) * 2147483648 + NEW.job_rowid
                ELSE -NEW.job_rowid END,
           NEW.scope_key, NEW.created_by, NEW.reason, substr(NEW.error_detail, 1, 2000);
END;

INSERT INTO exec_report_job_search_delta
SELECT rowid, created_at, scope_key, created_by, reason, error_detail, 1 FROM exec_report_jobs;
-- One segment, so a walk reads each term's matches from one place (sqlite.org/fts5.html#the_optimize_command).
INSERT INTO exec_report_job_search (exec_report_job_search) VALUES ('optimize');

CREATE TRIGGER tr_exec_report_job_search_insert AFTER INSERT ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_job_search_delta VALUES (NEW.rowid, NEW.created_at, NEW.scope_key, NEW.created_by, NEW.reason, NEW.error_detail, 1);
END;

CREATE TRIGGER tr_exec_report_job_search_delete AFTER DELETE ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_job_search_delta VALUES (OLD.rowid, OLD.created_at, OLD.scope_key, OLD.created_by, OLD.reason, OLD.error_detail, -1);
END;

-- Claims, lease renewals and completions (reason NULL -> 'ok': no trigram in either) skip this.
CREATE TRIGGER tr_exec_report_job_search_update AFTER UPDATE OF created_at, scope_key, created_by, reason, error_detail ON exec_report_jobs
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.scope_key IS NOT NEW.scope_key OR OLD.created_by IS NOT NEW.created_by
  OR substr(OLD.error_detail, 1, 2000) IS NOT substr(NEW.error_detail, 1, 2000)
  OR (OLD.reason IS NOT NEW.reason AND (length(OLD.reason) >= 3 OR length(NEW.reason) >= 3))
BEGIN
    INSERT INTO exec_report_job_search_delta VALUES (OLD.rowid, OLD.created_at, OLD.scope_key, OLD.created_by, OLD.reason, OLD.error_detail, -1);
    INSERT INTO exec_report_job_search_delta VALUES (NEW.rowid, NEW.created_at, NEW.scope_key, NEW.created_by, NEW.reason, NEW.error_detail, 1);
END;
