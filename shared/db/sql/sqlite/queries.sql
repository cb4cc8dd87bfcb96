-- Every statement the app runs on SQLite, by name. mssql/queries.sql has the same names.

-- name: create_migrations_table
CREATE TABLE IF NOT EXISTS exec_report_schema_migrations (
    version    TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

-- name: migrations_table_exists
SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'exec_report_schema_migrations';

-- name: list_migrations
SELECT version FROM exec_report_schema_migrations ORDER BY version;

-- name: get_migration
SELECT version FROM exec_report_schema_migrations WHERE version = :version;

-- name: lock_migrations
-- Not run: SQLite applies each migration file inside BEGIN IMMEDIATE, which already admits one
-- writer at a time (SqliteConnector.exclusive_session holds nothing). Named so both dialects agree.
SELECT 'Exclusive' AS lock_mode;

-- name: record_migration
INSERT INTO exec_report_schema_migrations (version) VALUES (:version);

-- Preflight (shared/db/preflight.py) reads SQL Server's catalog about tables other applications
-- created; SQLite's tables are always this app's own, so these return no rows.

-- name: preflight_columns
SELECT NULL AS table_name, NULL AS column_name, NULL AS type_name, NULL AS max_length, NULL AS is_identity,
       NULL AS collation_name
WHERE 0;

-- name: preflight_tables
SELECT NULL AS table_name, NULL AS ansi_nulls, NULL AS enabled_triggers, NULL AS instead_of_triggers WHERE 0;

-- name: preflight_session
SELECT NULL AS ansi_nulls WHERE 0;

-- name: job_counts
SELECT status, n FROM exec_report_job_counts;

-- name: oldest_queued
-- The head of the claim index: how long the longest-waiting job has waited (bull-board shows it).
SELECT MIN(created_at) AS created_at FROM exec_report_jobs WHERE status = 'queued';

-- name: list_jobs_newest
SELECT * FROM exec_report_jobs
ORDER BY created_at DESC, job_id DESC
LIMIT :offset, :limit;

-- name: list_jobs_oldest
-- Pages near the end are read from the other end of the index, so no page scans more than half.
SELECT * FROM exec_report_jobs
ORDER BY created_at, job_id
LIMIT :offset, :limit;

-- name: list_jobs_waiting_retry
-- Queued jobs waiting for their next attempt (run_after ahead), the soonest first: the list's "Retrying" view.
SELECT * FROM exec_report_jobs
WHERE status = 'queued' AND run_after > :now
ORDER BY run_after, job_id
LIMIT :offset, :limit;

-- name: count_jobs_waiting_retry
-- Also the "Retrying" chip's count on every list read: 0085's (status, run_after) index answers it.
SELECT COUNT(*) AS n FROM exec_report_jobs WHERE status = 'queued' AND run_after > :now;

-- name: snapshot_models
-- The model that wrote each listed job's report, newest snapshot last: the list's model text for a
-- succeeded job. Snapshots from before job_id was written (matched by scope and period) show in Details only.
SELECT job_id, gen_model FROM exec_report_snapshots
WHERE job_id IN (SELECT value FROM json_each(:job_ids)) AND gen_model IS NOT NULL
ORDER BY job_id, created_at;

-- name: list_jobs_by_status_newest
SELECT * FROM exec_report_jobs
WHERE status = :status
ORDER BY created_at DESC, job_id DESC
LIMIT :offset, :limit;

-- name: list_jobs_by_status_oldest
SELECT * FROM exec_report_jobs
WHERE status = :status
ORDER BY created_at, job_id
LIMIT :offset, :limit;

-- Deep pages (shared/jobs/paging.py): the hourly rollups of 0020 count the jobs of each hour, so
-- the hour that holds row number :skip is found without reading jobs, and the page is then read by
-- seeking the created_at index at that hour's edge and skipping only the rows inside the hour.

-- The hours are grouped in the walk's own order, straight off the rollup table's key (epoch_hour,
-- status), so the running sum needs no sort and the walk stops at the first hour that reaches past
-- :skip (its `passed` is then at most :skip): a page near either end reads a few rollup rows, the
-- middle page half of them (1M jobs: 3.7 -> 1.8 ms for page 10,000 of 20,000, the sort gone).

-- name: page_boundary_newest
SELECT epoch_hour, passed FROM (
    SELECT epoch_hour, SUM(jobs) AS n, SUM(SUM(jobs)) OVER (ORDER BY epoch_hour DESC ROWS UNBOUNDED PRECEDING) - SUM(jobs) AS passed
    FROM exec_report_metrics_jobs
    WHERE :status IS NULL OR status = :status
    GROUP BY epoch_hour) AS walked
WHERE passed + n > :skip
LIMIT 1;

-- name: page_boundary_oldest
SELECT epoch_hour, passed FROM (
    SELECT epoch_hour, SUM(jobs) AS n, SUM(SUM(jobs)) OVER (ORDER BY epoch_hour ROWS UNBOUNDED PRECEDING) - SUM(jobs) AS passed
    FROM exec_report_metrics_jobs
    WHERE :status IS NULL OR status = :status
    GROUP BY epoch_hour) AS walked
WHERE passed + n > :skip
LIMIT 1;

-- name: page_irregular_times
-- An hour's edge is a text bound, exact for created_at in the stored form (YYYY-MM-DD HH:MM:SS.fff);
-- jobs written in another form carry negative keys in the search index (0070), and any one of them
-- sends paging back to OFFSET.
SELECT COUNT(*) AS n FROM (SELECT 1 FROM exec_report_job_search WHERE rowid < 0 LIMIT 1);

-- name: list_jobs_seek_newest
SELECT * FROM exec_report_jobs
WHERE created_at < strftime('%Y-%m-%d %H:%M:%f', (:epoch_hour + 1) * 3600, 'unixepoch')
ORDER BY created_at DESC, job_id DESC
LIMIT :offset, :limit;

-- name: list_jobs_seek_oldest
SELECT * FROM exec_report_jobs
WHERE created_at >= strftime('%Y-%m-%d %H:%M:%f', :epoch_hour * 3600, 'unixepoch')
ORDER BY created_at, job_id
LIMIT :offset, :limit;

-- name: list_jobs_by_status_seek_newest
SELECT * FROM exec_report_jobs
WHERE status = :status AND created_at < strftime('%Y-%m-%d %H:%M:%f', (:epoch_hour + 1) * 3600, 'unixepoch')
ORDER BY created_at DESC, job_id DESC
LIMIT :offset, :limit;

-- name: list_jobs_by_status_seek_oldest
SELECT * FROM exec_report_jobs
WHERE status = :status AND created_at >= strftime('%Y-%m-%d %H:%M:%f', :epoch_hour * 3600, 'unixepoch')
ORDER BY created_at, job_id
LIMIT :offset, :limit;

-- name: get_job
SELECT * FROM exec_report_jobs WHERE job_id = :job_id;

-- name: get_job_snapshot
-- Snapshots written by this worker carry job_id; older ones are linked by scope and period.
SELECT * FROM exec_report_snapshots
WHERE job_id = :job_id
   OR (job_id IS NULL AND scope_type = :scope_type AND scope_key = :scope_key
       AND iso_week IS :iso_week AND month_key IS :month_key)
ORDER BY job_id IS NULL, created_at DESC
LIMIT 1;

-- name: find_active_job
SELECT * FROM exec_report_jobs
WHERE scope_type = :scope_type AND scope_key = :scope_key
  AND iso_week IS :iso_week AND month_key IS :month_key
  AND status IN ('queued', 'running')
ORDER BY created_at
LIMIT 1;

-- name: insert_job
INSERT INTO exec_report_jobs (
    job_id, scope_type, scope_key, iso_week, month_key, status, reason, created_at, started_at,
    finished_at, created_by, attempts, max_attempts, worker_id, lease_expires_at, error_detail)
VALUES (
    :job_id, :scope_type, :scope_key, :iso_week, :month_key, :status, :reason, :created_at, :started_at,
    :finished_at, :created_by, :attempts, :max_attempts, :worker_id, :lease_expires_at, :error_detail);

-- name: cancel_job
UPDATE exec_report_jobs
SET status = 'canceled', finished_at = :now, reason = :reason, lease_expires_at = NULL
WHERE job_id = :job_id AND status IN ('queued', 'running');

-- name: claim_jobs
-- At most :global_limit jobs run at once across every process: the running count comes from the
-- counters the triggers keep, read under the write lock BEGIN IMMEDIATE took, so it is exact.
UPDATE exec_report_jobs
SET status = 'running', worker_id = :worker_id, started_at = :now, heartbeat_at = :now,
    lease_expires_at = strftime('%Y-%m-%d %H:%M:%f', :now, '+' || :lease_seconds || ' seconds'), attempts = attempts + 1,
    claim_token = lower(hex(randomblob(16)))
WHERE job_id IN (
    SELECT job_id FROM exec_report_jobs
    WHERE status = 'queued' AND (run_after IS NULL OR run_after <= :now)
    ORDER BY created_at, job_id
    LIMIT max(0, min(:limit, :global_limit - coalesce((SELECT n FROM exec_report_job_counts WHERE status = 'running'), 0))))
RETURNING *;

-- name: claim_job
-- One job by id (the queue trigger's message names it), under the same global limit as claim_jobs.
UPDATE exec_report_jobs
SET status = 'running', worker_id = :worker_id, started_at = :now, heartbeat_at = :now,
    lease_expires_at = strftime('%Y-%m-%d %H:%M:%f', :now, '+' || :lease_seconds || ' seconds'), attempts = attempts + 1,
    claim_token = lower(hex(randomblob(16)))
WHERE job_id = :job_id AND status = 'queued' AND (run_after IS NULL OR run_after <= :now)
    AND coalesce((SELECT n FROM exec_report_job_counts WHERE status = 'running'), 0) < :global_limit
RETURNING *;

-- name: claim_refusal
-- Why claim_job took nothing: the job's state, whether it is due, and how many jobs run.
SELECT j.status, j.run_after, (j.run_after IS NOT NULL AND j.run_after > :now) AS not_due,
    coalesce((SELECT n FROM exec_report_job_counts WHERE status = 'running'), 0) AS running
FROM exec_report_jobs AS j WHERE j.job_id = :job_id;

-- name: running_count
SELECT coalesce((SELECT n FROM exec_report_job_counts WHERE status = 'running'), 0) AS n;

-- name: stale_queued_jobs
-- Queued and due since before :before with no worker on them: their message was lost, or another
-- application inserted them straight into the table. The sweep sends each a message.
SELECT job_id FROM exec_report_jobs
WHERE status = 'queued' AND coalesce(run_after, created_at) <= :before
ORDER BY created_at, job_id
LIMIT :limit;

-- name: renew_lease
UPDATE exec_report_jobs
SET lease_expires_at = strftime('%Y-%m-%d %H:%M:%f', :now, '+' || :lease_seconds || ' seconds'), heartbeat_at = :now
WHERE job_id = :job_id AND status = 'running' AND claim_token = :claim_token;

-- name: complete_job
UPDATE exec_report_jobs
SET status = 'succeeded', finished_at = :now, reason = :reason, error_detail = NULL, lease_expires_at = NULL
WHERE job_id = :job_id AND status = 'running' AND claim_token = :claim_token;

-- name: insert_snapshot
INSERT INTO exec_report_snapshots (
    job_id, scope_type, scope_key, iso_week, month_key, analysis_json, created_at, rows_used,
    gen_model, gen_ms, prompt_tokens, completion_tokens, prompt_version)
VALUES (
    :job_id, :scope_type, :scope_key, :iso_week, :month_key, :analysis_json, :created_at, :rows_used,
    :gen_model, :gen_ms, :prompt_tokens, :completion_tokens, :prompt_version);

-- name: fail_job
UPDATE exec_report_jobs
SET status = 'failed', finished_at = :now, reason = :reason, error_detail = :error_detail, lease_expires_at = NULL
WHERE job_id = :job_id AND status = 'running' AND claim_token = :claim_token;

-- name: retry_job_later
UPDATE exec_report_jobs
SET status = 'queued', started_at = NULL, worker_id = NULL, lease_expires_at = NULL,
    run_after = strftime('%Y-%m-%d %H:%M:%f', :now, '+' || (:delay_ms / 1000.0) || ' seconds'),
    reason = :reason, error_detail = :error_detail
WHERE job_id = :job_id AND status = 'running' AND claim_token = :claim_token;

-- name: release_job
-- A worker that stops before finishing gives the job back without spending an attempt.
UPDATE exec_report_jobs
SET status = 'queued', started_at = NULL, worker_id = NULL, lease_expires_at = NULL,
    attempts = MAX(attempts - 1, 0)
WHERE job_id = :job_id AND status = 'running' AND claim_token = :claim_token;

-- name: expired_leases
-- Attempts whose worker stopped renewing; each is then requeued or failed by its own token, so
-- the history can record the attempt that was lost. The token is NULL on rows that another
-- application set running, hence `IS` below.
SELECT job_id, claim_token, worker_id, started_at, attempts, max_attempts FROM exec_report_jobs
WHERE status = 'running' AND lease_expires_at < :now
ORDER BY lease_expires_at
LIMIT :limit;

-- name: requeue_expired_job
UPDATE exec_report_jobs
SET status = 'queued', started_at = NULL, worker_id = NULL, lease_expires_at = NULL,
    run_after = :run_after, reason = :reason
WHERE job_id = :job_id AND claim_token IS :claim_token AND status = 'running'
    AND lease_expires_at < :now AND attempts < max_attempts;

-- name: fail_expired_job
UPDATE exec_report_jobs
SET status = 'failed', finished_at = :now, reason = :reason, lease_expires_at = NULL
WHERE job_id = :job_id AND claim_token IS :claim_token AND status = 'running'
    AND lease_expires_at < :now AND attempts >= max_attempts;

-- name: insert_worker_run
INSERT INTO exec_report_worker_runs (run_id, trigger, worker_id, started_at)
VALUES (:run_id, :trigger, :worker_id, :started_at);

-- name: finish_worker_run
UPDATE exec_report_worker_runs
SET finished_at = :finished_at, reaped = :reaped, claimed = :claimed, succeeded = :succeeded,
    failed = :failed, requeued = :requeued, canceled = :canceled, error = :error
WHERE run_id = :run_id;

-- name: list_worker_runs
SELECT * FROM exec_report_worker_runs ORDER BY started_at DESC LIMIT :limit;

-- name: reaped_worker_run
-- The pass that held a reaped lease: worker ids are one per pass, and it started before it claimed,
-- so the started_at index is walked back from the claim to the first row with that worker id.
SELECT run_id, trigger, worker_id, started_at, finished_at, error FROM exec_report_worker_runs
WHERE worker_id = :worker_id AND started_at <= :claimed_at
ORDER BY started_at DESC
LIMIT 1;

-- name: mark_worker_run_lost
-- Once per run: the reaper notes a pass that never finished (a later finish of a stalled pass overwrites it).
UPDATE exec_report_worker_runs SET error = :error
WHERE run_id = :run_id AND finished_at IS NULL AND error IS NULL;

-- name: select_source_rows
SELECT metric_date, metric, value FROM {source_rows_table}
WHERE scope_type = :scope_type AND scope_key = :scope_key
  AND metric_date >= :start_date AND metric_date < :end_date
ORDER BY metric_date, metric;

-- name: insert_source_row
INSERT INTO exec_report_source_rows (scope_type, scope_key, metric_date, metric, value)
VALUES (:scope_type, :scope_key, :metric_date, :metric, :value);

-- Report schedules (recurring rules) and known scopes -------------------------------------------

-- name: list_schedules
SELECT * FROM exec_report_schedules ORDER BY name;

-- name: get_schedule
SELECT * FROM exec_report_schedules WHERE schedule_id = :schedule_id;

-- name: lock_schedule
-- SQLite's BEGIN IMMEDIATE already holds the write lock; SQL Server takes a row lock here.
SELECT * FROM exec_report_schedules WHERE schedule_id = :schedule_id;

-- name: find_schedule_by_name
-- Case-insensitive, as SQL Server's default collation compares names, so "Weekly" and "weekly"
-- clash in both dialects (a 409) rather than only on SQL Server (its unique index, a 500).
SELECT schedule_id FROM exec_report_schedules WHERE name = :name COLLATE NOCASE;

-- name: due_schedules
SELECT schedule_id FROM exec_report_schedules
WHERE paused = 0 AND next_run_at <= :now
ORDER BY next_run_at, schedule_id;

-- name: insert_schedule
INSERT INTO exec_report_schedules (
    schedule_id, name, scope_type, scope_key, period_kind, cron, timezone, paused, created_by,
    created_at, updated_at, next_run_at)
VALUES (
    :schedule_id, :name, :scope_type, :scope_key, :period_kind, :cron, :timezone, :paused, :created_by,
    :created_at, :updated_at, :next_run_at);

-- name: update_schedule
UPDATE exec_report_schedules
SET name = :name, scope_type = :scope_type, scope_key = :scope_key, period_kind = :period_kind, cron = :cron,
    paused = :paused, updated_at = :updated_at, next_run_at = :next_run_at
WHERE schedule_id = :schedule_id;

-- name: set_schedule_next_run
UPDATE exec_report_schedules SET next_run_at = :next_run_at WHERE schedule_id = :schedule_id;

-- name: record_schedule_run
UPDATE exec_report_schedules SET last_run_at = :last_run_at, last_result = :last_result WHERE schedule_id = :schedule_id;

-- name: delete_schedule
DELETE FROM exec_report_schedules WHERE schedule_id = :schedule_id;

-- name: delete_schedule_runs
DELETE FROM exec_report_schedule_runs WHERE schedule_id = :schedule_id;

-- name: claim_schedule_period
-- The primary key decides: a second claim of the same (rule, period) inserts nothing.
INSERT OR IGNORE INTO exec_report_schedule_runs (schedule_id, period_label, run_trigger, run_by, run_at)
VALUES (:schedule_id, :period_label, :run_trigger, :run_by, :run_at);

-- name: lock_schedule_run
-- BEGIN IMMEDIATE already serializes writers, so the read is the lock.
SELECT * FROM exec_report_schedule_runs WHERE schedule_id = :schedule_id AND period_label = :period_label;

-- name: advance_schedule_run
-- One chunk of a fan-out: its counts and cursor commit with the jobs it queued.
UPDATE exec_report_schedule_runs
SET jobs_created = :jobs_created, jobs_existing = :jobs_existing, scopes_after = :scopes_after,
    jobs_shown = :jobs_shown, finished_at = :finished_at
WHERE schedule_id = :schedule_id AND period_label = :period_label AND finished_at IS NULL;

-- name: unfinished_schedule_runs
-- Fan-outs cut off part-way (a killed instance, a database fault): the timer resumes them.
SELECT schedule_id, period_label FROM exec_report_schedule_runs WHERE finished_at IS NULL
ORDER BY run_at, schedule_id, period_label;

-- name: get_schedule_run
SELECT * FROM exec_report_schedule_runs WHERE schedule_id = :schedule_id AND period_label = :period_label;

-- name: scopes_with_rows
-- The scopes of one type that have source rows in a period: what an all-scopes rule reports on,
-- one chunk at a time after the last scope the run has queued ('' before the first).
SELECT DISTINCT scope_key FROM {source_rows_table}
WHERE scope_type = :scope_type AND metric_date >= :start_date AND metric_date < :end_date AND scope_key > :after
ORDER BY scope_key
LIMIT :limit;

-- name: known_scopes_from_jobs
-- Index order plus LIMIT: the scan stops after `limit` distinct pairs however big the table is.
SELECT DISTINCT scope_type, scope_key FROM exec_report_jobs
WHERE (:scope_type IS NULL OR scope_type = :scope_type) AND scope_key LIKE :key_prefix ESCAPE '\'
ORDER BY scope_type, scope_key
LIMIT :limit;

-- name: known_scopes_from_source_rows
SELECT DISTINCT scope_type, scope_key FROM {source_rows_table}
WHERE (:scope_type IS NULL OR scope_type = :scope_type) AND scope_key LIKE :key_prefix ESCAPE '\'
ORDER BY scope_type, scope_key
LIMIT :limit;

-- ---------------------------------------------------------------------------------------------
-- Failure notifications (shared/notify): the outbox, and the job reads that fill it.

-- name: notify_add
INSERT INTO exec_report_notifications (channel, kind, job_id, dedupe_key, payload, event_at, created_at, next_attempt_at)
VALUES (:channel, :kind, :job_id, :dedupe_key, :payload, :event_at, :now, :now)
ON CONFLICT (dedupe_key) DO NOTHING;

-- name: notify_last_failure_event
SELECT MAX(event_at) AS event_at FROM exec_report_notifications WHERE kind = 'job_failed';

-- name: notify_failed_jobs_since
SELECT job_id, scope_type, scope_key, iso_week, month_key, reason, attempts, max_attempts, finished_at, created_by
FROM exec_report_jobs
-- Keyset by (finished_at, job_id): the reaper fails many jobs with one finished_at, so ties span pages.
WHERE status = 'failed' AND (finished_at > :since OR (finished_at = :since AND job_id > :after_job_id))
ORDER BY finished_at, job_id
LIMIT :limit;

-- name: notify_finished_counts
SELECT status, COUNT(*) AS n FROM exec_report_jobs
WHERE status IN ('succeeded', 'failed') AND finished_at >= :since
GROUP BY status;

-- name: notify_last_attempt
SELECT MAX(last_attempt_at) AS last_attempt_at FROM exec_report_notifications WHERE channel = :channel;

-- name: notify_claim
-- The claim pushes next_attempt_at past the send, so another dispatcher leaves these rows alone.
UPDATE exec_report_notifications
SET attempts = attempts + 1, last_attempt_at = :now, next_attempt_at = :claim_until
WHERE id IN (
    SELECT id FROM exec_report_notifications
    WHERE channel = :channel AND sent_at IS NULL AND attempts < :max_attempts AND next_attempt_at <= :now
    ORDER BY id
    LIMIT :limit)
RETURNING *;

-- name: notify_mark_sent
UPDATE exec_report_notifications SET sent_at = :now, last_error = NULL WHERE id = :id;

-- name: notify_mark_failed
UPDATE exec_report_notifications SET next_attempt_at = :next_attempt_at, last_error = :error WHERE id = :id;

-- name: notify_recent_failures
SELECT * FROM exec_report_notifications
WHERE last_error IS NOT NULL
ORDER BY last_attempt_at DESC, id DESC
LIMIT :limit;

-- name: notify_purge
DELETE FROM exec_report_notifications
WHERE id IN (SELECT id FROM exec_report_notifications WHERE created_at < :before ORDER BY id LIMIT :limit);

-- ===== Operations (issue 8 part A): audit log, job history, retry, search, retention =====

-- name: audit_insert
INSERT INTO exec_report_audit_log (at, actor, action, job_id, detail)
VALUES (:at, :actor, :action, :job_id, :detail);

-- name: audit_page
-- Newest first; keyset on audit_id so export chunks never skip or repeat a row.
SELECT * FROM exec_report_audit_log
WHERE audit_id < :before_id
ORDER BY audit_id DESC
LIMIT :limit;

-- name: audit_count
SELECT COUNT(*) AS n FROM exec_report_audit_log;

-- name: job_event_insert
INSERT INTO exec_report_job_events (job_id, at, from_status, to_status, actor, detail)
VALUES (:job_id, :at, :from_status, :to_status, :actor, :detail);

-- name: job_events_for_job
SELECT * FROM exec_report_job_events WHERE job_id = :job_id ORDER BY event_id;

-- name: retry_finished_job
-- A new attempt of the same job (Hangfire's requeue): a fresh attempt budget on top of those spent.
UPDATE exec_report_jobs
SET status = 'queued', reason = :reason, started_at = NULL, finished_at = NULL, worker_id = NULL,
    lease_expires_at = NULL, heartbeat_at = NULL, run_after = NULL, error_detail = NULL,
    max_attempts = attempts + :extra_attempts
WHERE job_id = :job_id AND status IN ('failed', 'canceled');

-- Search. Two plans for one filter (created_at range, keyset cursor, status, scope type, and q:
-- a job id prefix or 3+ characters of scope key, created_by, reason or stack trace):
--   by_key     walks the trigram index in created order (0070) for a q of 3+ characters: the
--              newest :need matches fix the oldest minute the page can reach, and only those
--              matches, the rest of that minute's (plus id-prefix matches and keys of -rowid) are
--              sorted. The walk is materialized, so it runs once (every reference to a plain CTE
--              ran it again, and the matches from the minute on were walked a second time); when it
--              found fewer than :need it has seen every match and the minute's rest is empty;
--   by_status  walks the (status, created_at) index newest first: for no q, a shorter one (an id
--              prefix: no trigram), or a status with few jobs (queued, running), each of its jobs
--              then tested against the trigram index by its key;
--   by_time    walks the created_at index the same way, for no q or a shorter one.
-- A search key's minute: whole minutes since 1970 of a created_at (earlier ones as 0), times 2^31.
-- The id-prefix part names the primary key's index (job_id TEXT PRIMARY KEY, 0001): left to itself
-- the planner walks the created_at range of every job instead.

-- name: search_jobs_by_key
WITH bounds AS (
    SELECT max(CAST(strftime('%s', :created_from) AS INTEGER) / 60, 0) * 2147483648 AS lo,
           (max(CAST(strftime('%s', min(:created_to, :before_at)) AS INTEGER) / 60, 0) + 1) * 2147483648 - 1 AS hi),
walked AS MATERIALIZED (
    SELECT s.rowid AS k, j.rowid AS job_rowid FROM exec_report_job_search AS s
    JOIN exec_report_jobs AS j ON j.rowid = s.rowid % 2147483648
    WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"' AND s.rowid BETWEEN (SELECT lo FROM bounds) AND (SELECT hi FROM bounds)
      AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
      AND (j.created_at < :before_at OR j.job_id < :before_id)
      AND (:status IS NULL OR j.status = :status) AND (:scope_type IS NULL OR j.scope_type = :scope_type)
    ORDER BY s.rowid DESC
    LIMIT :need),
reach AS MATERIALIZED (
    SELECT CASE WHEN COUNT(*) < :need THEN MIN(k) ELSE MIN(k) / 2147483648 * 2147483648 END AS k_from, MIN(k) AS k_walked FROM walked),
found AS (
    SELECT job_rowid FROM walked
    UNION
    SELECT j.rowid FROM exec_report_job_search AS s
    JOIN exec_report_jobs AS j ON j.rowid = s.rowid % 2147483648
    WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"'
      AND s.rowid >= (SELECT k_from FROM reach) AND s.rowid < (SELECT k_walked FROM reach)
      AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
      AND (j.created_at < :before_at OR j.job_id < :before_id)
      AND (:status IS NULL OR j.status = :status) AND (:scope_type IS NULL OR j.scope_type = :scope_type)
    UNION
    SELECT j.rowid FROM exec_report_job_search AS s
    JOIN exec_report_jobs AS j ON j.rowid = -s.rowid
    WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"' AND s.rowid < 0
      AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
      AND (j.created_at < :before_at OR j.job_id < :before_id)
      AND (:status IS NULL OR j.status = :status) AND (:scope_type IS NULL OR j.scope_type = :scope_type)
    UNION
    SELECT j.rowid FROM exec_report_jobs AS j INDEXED BY sqlite_autoindex_exec_report_jobs_1
    WHERE j.job_id >= :q AND j.job_id < :q || '~'
      AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
      AND (j.created_at < :before_at OR j.job_id < :before_id)
      AND (:status IS NULL OR j.status = :status) AND (:scope_type IS NULL OR j.scope_type = :scope_type))
SELECT * FROM exec_report_jobs
WHERE rowid IN (SELECT job_rowid FROM found)
ORDER BY created_at DESC, job_id DESC
LIMIT :offset, :limit;

-- name: search_count_by_key
-- Each part stops at :cap, and so does their union: a search total reads "1,000+" rather than
-- walking every match.
WITH bounds AS (
    SELECT max(CAST(strftime('%s', :created_from) AS INTEGER) / 60, 0) * 2147483648 AS lo,
           (max(CAST(strftime('%s', min(:created_to, :before_at)) AS INTEGER) / 60, 0) + 1) * 2147483648 - 1 AS hi)
SELECT COUNT(*) AS n FROM (
    SELECT job_rowid FROM (
        SELECT j.rowid AS job_rowid FROM exec_report_job_search AS s
        JOIN exec_report_jobs AS j ON j.rowid = s.rowid % 2147483648
        WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"' AND s.rowid BETWEEN (SELECT lo FROM bounds) AND (SELECT hi FROM bounds)
          AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
          AND (j.created_at < :before_at OR j.job_id < :before_id)
          AND (:status IS NULL OR j.status = :status) AND (:scope_type IS NULL OR j.scope_type = :scope_type)
        LIMIT :cap)
    UNION
    SELECT job_rowid FROM (
        SELECT j.rowid AS job_rowid FROM exec_report_job_search AS s
        JOIN exec_report_jobs AS j ON j.rowid = -s.rowid
        WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"' AND s.rowid < 0
          AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
          AND (j.created_at < :before_at OR j.job_id < :before_id)
          AND (:status IS NULL OR j.status = :status) AND (:scope_type IS NULL OR j.scope_type = :scope_type)
        LIMIT :cap)
    UNION
    SELECT job_rowid FROM (
        SELECT j.rowid AS job_rowid FROM exec_report_jobs AS j INDEXED BY sqlite_autoindex_exec_report_jobs_1
        WHERE j.job_id >= :q AND j.job_id < :q || '~'
          AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
          AND (j.created_at < :before_at OR j.job_id < :before_id)
          AND (:status IS NULL OR j.status = :status) AND (:scope_type IS NULL OR j.scope_type = :scope_type)
        LIMIT :cap)
    LIMIT :cap);

-- name: search_jobs_by_status
SELECT * FROM exec_report_jobs AS j INDEXED BY ix_exec_report_jobs_status_created
WHERE j.status = :status
  AND j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
  AND (j.created_at < :before_at OR j.job_id < :before_id)
  AND (:scope_type IS NULL OR j.scope_type = :scope_type)
  AND (:q IS NULL OR (j.job_id >= :q AND j.job_id < :q || '~') OR (length(:q) >= 3 AND EXISTS (
        SELECT 1 FROM exec_report_job_search AS s
        WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"'
          AND s.rowid = (SELECT search_key FROM exec_report_job_search_keys WHERE job_rowid = j.rowid))))
ORDER BY j.created_at DESC, j.job_id DESC
LIMIT :offset, :limit;

-- name: search_jobs_by_time
SELECT * FROM exec_report_jobs AS j INDEXED BY ix_exec_report_jobs_created
WHERE j.created_at >= :created_from AND j.created_at < :created_to AND j.created_at <= :before_at
  AND (j.created_at < :before_at OR j.job_id < :before_id)
  AND (:scope_type IS NULL OR j.scope_type = :scope_type)
  AND (:q IS NULL OR (j.job_id >= :q AND j.job_id < :q || '~') OR (length(:q) >= 3 AND EXISTS (
        SELECT 1 FROM exec_report_job_search AS s
        WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"'
          AND s.rowid = (SELECT search_key FROM exec_report_job_search_keys WHERE job_rowid = j.rowid))))
ORDER BY j.created_at DESC, j.job_id DESC
LIMIT :offset, :limit;

-- name: search_count_by_status
SELECT COUNT(*) AS n FROM (
    SELECT 1 FROM exec_report_jobs AS j INDEXED BY ix_exec_report_jobs_status_created
    WHERE j.status = :status AND j.created_at >= :created_from AND j.created_at < :created_to
      AND (:scope_type IS NULL OR j.scope_type = :scope_type)
      AND (:q IS NULL OR (j.job_id >= :q AND j.job_id < :q || '~') OR (length(:q) >= 3 AND EXISTS (
            SELECT 1 FROM exec_report_job_search AS s
            WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"'
              AND s.rowid = (SELECT search_key FROM exec_report_job_search_keys WHERE job_rowid = j.rowid))))
    LIMIT :cap);

-- name: search_count_by_time
SELECT COUNT(*) AS n FROM (
    SELECT 1 FROM exec_report_jobs AS j INDEXED BY ix_exec_report_jobs_created
    WHERE j.created_at >= :created_from AND j.created_at < :created_to
      AND (:scope_type IS NULL OR j.scope_type = :scope_type)
      AND (:q IS NULL OR (j.job_id >= :q AND j.job_id < :q || '~') OR (length(:q) >= 3 AND EXISTS (
            SELECT 1 FROM exec_report_job_search AS s
            WHERE exec_report_job_search MATCH '"' || replace(:q, '"', '""') || '"'
              AND s.rowid = (SELECT search_key FROM exec_report_job_search_keys WHERE job_rowid = j.rowid))))
    LIMIT :cap);

-- name: retention_delete_jobs
-- One batch, oldest first; the ids it returns are the ones whose snapshots and history go next.
-- Only finished jobs qualify; queued and running ones are never touched.
DELETE FROM exec_report_jobs WHERE job_id IN (
    SELECT job_id FROM exec_report_jobs
    WHERE status IN ('succeeded', 'failed', 'canceled') AND created_at < :cutoff AND finished_at < :cutoff
    ORDER BY created_at, job_id LIMIT :batch)
RETURNING job_id;

-- name: retention_delete_snapshots
DELETE FROM exec_report_snapshots WHERE job_id IN (SELECT value FROM json_each(:job_ids));

-- name: retention_delete_events
DELETE FROM exec_report_job_events WHERE job_id IN (SELECT value FROM json_each(:job_ids));

-- ===== Operations metrics, worker health, LLM usage and cost (issue 8, part B) =====
-- Metrics read the hourly rollups of migration 0020 for the UTC hours [since_hour, until_hour), never
-- the jobs table, so a request costs the same at any table size. A bucket of :bucket_hours hours
-- (1 or 24) is the sum of its hours. Percentiles are worked out by the service from bin counts.

-- name: metrics_rollup_jobs
-- Jobs created per bucket (all statuses of each hour) and those now succeeded, failed or canceled.
SELECT bucket, SUM(jobs) AS created,
       SUM(CASE WHEN status = 'succeeded' THEN jobs ELSE 0 END) AS succeeded,
       SUM(CASE WHEN status = 'failed' THEN jobs ELSE 0 END) AS failed,
       SUM(CASE WHEN status = 'canceled' THEN jobs ELSE 0 END) AS canceled
FROM (SELECT epoch_hour / :bucket_hours AS bucket, status, jobs FROM exec_report_metrics_jobs
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour) AS hours
GROUP BY bucket;

-- name: metrics_rollup_timings
-- Queue wait and processing time bins per bucket, in bin order.
SELECT hours.bucket, hours.metric, hours.bin, b.value_ms, SUM(hours.n) AS n
FROM (SELECT epoch_hour / :bucket_hours AS bucket, 'wait' AS metric, bin, n FROM exec_report_metrics_wait
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour
      UNION ALL
      SELECT epoch_hour / :bucket_hours AS bucket, 'run' AS metric, bin, n FROM exec_report_metrics_run
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour) AS hours
JOIN exec_report_metrics_bins b ON b.bin = hours.bin
GROUP BY hours.bucket, hours.metric, hours.bin, b.value_ms
HAVING SUM(hours.n) > 0
ORDER BY hours.bucket, hours.metric, hours.bin;

-- name: metrics_rollup_models
-- Generation time per bucket and named model, from the snapshots of jobs in any status.
SELECT bucket, model, SUM(gen_count) AS reports, SUM(gen_ms_sum) AS gen_ms_sum
FROM (SELECT epoch_hour / :bucket_hours AS bucket, model, gen_count, gen_ms_sum FROM exec_report_metrics_models
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour AND model <> '') AS hours
GROUP BY bucket, model
HAVING SUM(gen_count) > 0;

-- name: usage_rollup_outcomes
-- Succeeded and failed jobs of the window, with a snapshot or without.
SELECT status, SUM(jobs) AS jobs FROM exec_report_metrics_jobs
WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour AND status IN ('succeeded', 'failed')
GROUP BY status;

-- name: usage_rollup_models
-- Succeeded and failed jobs that have a snapshot, per model and outcome, with tokens.
SELECT model, outcome, SUM(jobs) AS jobs, SUM(gen_count) AS gen_count, SUM(gen_ms_sum) AS gen_ms_sum,
       SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens, SUM(jobs_with_usage) AS jobs_with_usage
FROM exec_report_metrics_models
WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour AND outcome IN ('succeeded', 'failed')
GROUP BY model, outcome;

-- name: usage_rollup_gen
-- Generation time bins per model, in bin order.
SELECT g.model, g.bin, b.value_ms, SUM(g.n) AS n
FROM exec_report_metrics_gen g
JOIN exec_report_metrics_bins b ON b.bin = g.bin
WHERE g.epoch_hour >= :since_hour AND g.epoch_hour < :until_hour
GROUP BY g.model, g.bin, b.value_ms
HAVING SUM(g.n) > 0
ORDER BY g.model, g.bin;

-- name: health_running_jobs
-- Running jobs, the most overdue lease first; the status index finds them without a scan.
SELECT job_id, scope_type, scope_key, iso_week, month_key, worker_id, started_at, heartbeat_at,
       lease_expires_at, attempts, max_attempts
FROM exec_report_jobs
WHERE status = 'running'
ORDER BY lease_expires_at, job_id
LIMIT :limit;

-- name: health_problem_runs
-- Recent passes that recorded an error, or that never finished (the process stopped mid-pass).
SELECT * FROM exec_report_worker_runs
WHERE started_at >= :since
  AND (error IS NOT NULL OR (finished_at IS NULL AND started_at < :unfinished_before))
ORDER BY started_at DESC
LIMIT :limit;

-- name: health_last_timer_run
SELECT * FROM exec_report_worker_runs WHERE trigger = 'timer' ORDER BY started_at DESC LIMIT 1;

-- ===== Model calls, re-runs, comparison and feedback (issue 19; migration 0075) =====

-- name: insert_model_call
INSERT INTO exec_report_model_calls (
    job_id, attempt, call_no, started_at, generator, model, answered_model, prompt_version, parameters_json,
    messages_json, answer_text, finish_reason, prompt_tokens, completion_tokens, latency_ms, request_id,
    outcome, problem, truncated)
VALUES (
    :job_id, :attempt, :call_no, :started_at, :generator, :model, :answered_model, :prompt_version, :parameters_json,
    :messages_json, :answer_text, :finish_reason, :prompt_tokens, :completion_tokens, :latency_ms, :request_id,
    :outcome, :problem, :truncated);

-- name: list_model_calls
-- A job's calls in the order they were made; at most 2 per attempt, and attempts are capped at 20.
SELECT * FROM exec_report_model_calls WHERE job_id = :job_id ORDER BY call_id LIMIT 100;

-- name: record_job_model
-- What the job's latest attempt used; a re-run's choice and original stay as they were.
INSERT INTO exec_report_job_models (job_id, generator, model, prompt_version, updated_at)
VALUES (:job_id, :generator, :model, :prompt_version, :now)
ON CONFLICT (job_id) DO UPDATE SET
    generator = excluded.generator, model = excluded.model, prompt_version = excluded.prompt_version, updated_at = excluded.updated_at;

-- name: insert_job_model_choice
INSERT INTO exec_report_job_models (job_id, model_choice, rerun_of, updated_at) VALUES (:job_id, :model_choice, :rerun_of, :now);

-- name: get_job_model
SELECT * FROM exec_report_job_models WHERE job_id = :job_id;

-- name: list_job_reruns
SELECT job_id FROM exec_report_job_models WHERE rerun_of = :job_id ORDER BY updated_at DESC, job_id LIMIT 20;

-- name: same_period_snapshots
-- Other reports of one scope and period, newest first: what Details offers to compare with.
SELECT s.job_id, s.created_at, s.gen_model, s.prompt_version
FROM exec_report_snapshots s
WHERE s.scope_type = :scope_type AND s.scope_key = :scope_key
  AND (s.iso_week = :iso_week OR (s.iso_week IS NULL AND :iso_week IS NULL))
  AND (s.month_key = :month_key OR (s.month_key IS NULL AND :month_key IS NULL))
  AND s.job_id IS NOT NULL
ORDER BY s.created_at DESC
LIMIT 20;

-- name: upsert_feedback
INSERT INTO exec_report_feedback (job_id, rating, note, rated_by, rated_at) VALUES (:job_id, :rating, :note, :actor, :now)
ON CONFLICT (job_id) DO UPDATE SET
    rating = excluded.rating, note = excluded.note, rated_by = excluded.rated_by, rated_at = excluded.rated_at;

-- name: get_feedback
SELECT * FROM exec_report_feedback WHERE job_id = :job_id;

-- name: model_comparison
-- Per generator, model and prompt version: the jobs whose latest attempt ran in [since, until), from
-- the one small row per job of exec_report_job_models (never the traces), with their snapshots and
-- ratings. Queued and running jobs count in neither outcome.
SELECT m.generator, m.model, m.prompt_version,
       SUM(CASE WHEN j.status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
       SUM(CASE WHEN j.status = 'failed' THEN 1 ELSE 0 END) AS failed,
       COUNT(s.gen_ms) AS gen_count, COALESCE(SUM(s.gen_ms), 0) AS gen_ms_sum,
       COALESCE(SUM(s.prompt_tokens), 0) AS prompt_tokens, COALESCE(SUM(s.completion_tokens), 0) AS completion_tokens,
       SUM(CASE WHEN f.rating = 'good' THEN 1 ELSE 0 END) AS rated_good, COUNT(f.rating) AS rated
FROM exec_report_job_models m
JOIN exec_report_jobs j ON j.job_id = m.job_id
LEFT JOIN exec_report_snapshots s ON s.job_id = m.job_id
LEFT JOIN exec_report_feedback f ON f.job_id = m.job_id
WHERE m.updated_at >= :since AND m.updated_at < :until AND m.generator IS NOT NULL
GROUP BY m.generator, m.model, m.prompt_version
ORDER BY m.generator, m.model, m.prompt_version;

-- name: retention_delete_model_calls
DELETE FROM exec_report_model_calls WHERE job_id IN (SELECT value FROM json_each(:job_ids));

-- name: retention_delete_job_models
DELETE FROM exec_report_job_models WHERE job_id IN (SELECT value FROM json_each(:job_ids));

-- name: retention_delete_feedback
DELETE FROM exec_report_feedback WHERE job_id IN (SELECT value FROM json_each(:job_ids));
