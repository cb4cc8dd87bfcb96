-- Every statement the app runs on SQL Server / Azure SQL, by name. sqlite/queries.sql has the same names.

-- name: create_migrations_table
IF OBJECT_ID(N'dbo.exec_report_schema_migrations', N'U') IS NULL
CREATE TABLE dbo.exec_report_schema_migrations (
    version    NVARCHAR(100) NOT NULL CONSTRAINT pk_exec_report_schema_migrations PRIMARY KEY,
    applied_at DATETIME2(3)  NOT NULL CONSTRAINT df_exec_report_schema_migrations_applied DEFAULT SYSUTCDATETIME()
);

-- name: migrations_table_exists
-- A read, so a start-up check needs no DDL rights (CREATE TABLE would need db_ddladmin).
SELECT OBJECT_ID(N'dbo.exec_report_schema_migrations', N'U') AS object_id WHERE OBJECT_ID(N'dbo.exec_report_schema_migrations', N'U') IS NOT NULL;

-- name: list_migrations
SELECT version FROM dbo.exec_report_schema_migrations ORDER BY version;

-- name: get_migration
SELECT version FROM dbo.exec_report_schema_migrations WHERE version = :version;

-- name: lock_migrations
-- One migrator at a time across the per-batch transactions of a run: an application lock owned by
-- the session, which holds it until the session ends (sp_getapplock, @LockOwner = 'Session'), even
-- if the process dies. The SELECT says whether it was granted.
EXEC sp_getapplock @Resource = N'exec_report_migrations', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
SELECT APPLOCK_MODE(N'public', N'exec_report_migrations', N'Session') AS lock_mode;

-- name: record_migration
INSERT INTO dbo.exec_report_schema_migrations (version) VALUES (:version);

-- Preflight (shared/db/preflight.py): the catalog facts about the tables users already have, read
-- before any DDL. Text lengths are in characters (max_length is bytes; -1 is MAX).

-- name: preflight_columns
SELECT t.name AS table_name, c.name AS column_name, TYPE_NAME(c.system_type_id) AS type_name,
       CASE WHEN c.max_length = -1 THEN NULL
            WHEN TYPE_NAME(c.system_type_id) IN (N'nvarchar', N'nchar') THEN c.max_length / 2
            ELSE c.max_length END AS max_length,
       c.is_identity, c.collation_name
FROM sys.columns AS c
JOIN sys.tables AS t ON t.object_id = c.object_id
WHERE t.schema_id = SCHEMA_ID(N'dbo') AND t.name IN (N'exec_report_jobs', N'exec_report_snapshots')
ORDER BY t.name, c.column_id;

-- name: preflight_tables
SELECT t.name AS table_name, CAST(OBJECTPROPERTY(t.object_id, N'IsAnsiNullsOn') AS INT) AS ansi_nulls,
       (SELECT STRING_AGG(CAST(tr.name AS NVARCHAR(MAX)), N', ') FROM sys.triggers AS tr
        WHERE tr.parent_id = t.object_id AND tr.is_disabled = 0) AS enabled_triggers,
       (SELECT STRING_AGG(CAST(tr.name AS NVARCHAR(MAX)), N', ') FROM sys.triggers AS tr
        WHERE tr.parent_id = t.object_id AND tr.is_disabled = 0 AND tr.is_instead_of_trigger = 1) AS instead_of_triggers
FROM sys.tables AS t
WHERE t.schema_id = SCHEMA_ID(N'dbo') AND t.name IN (N'exec_report_jobs', N'exec_report_snapshots');

-- name: preflight_session
SELECT CAST(SESSIONPROPERTY(N'ANSI_NULLS') AS INT) AS ansi_nulls, CAST(SESSIONPROPERTY(N'ANSI_PADDING') AS INT) AS ansi_padding,
       CAST(SESSIONPROPERTY(N'ANSI_WARNINGS') AS INT) AS ansi_warnings, CAST(SESSIONPROPERTY(N'ARITHABORT') AS INT) AS arithabort,
       CAST(SESSIONPROPERTY(N'CONCAT_NULL_YIELDS_NULL') AS INT) AS concat_null_yields_null,
       CAST(SESSIONPROPERTY(N'QUOTED_IDENTIFIER') AS INT) AS quoted_identifier,
       CAST(SESSIONPROPERTY(N'NUMERIC_ROUNDABORT') AS INT) AS numeric_roundabort,
       CAST(DATABASEPROPERTYEX(DB_NAME(), N'Collation') AS NVARCHAR(128)) AS database_collation,
       CAST(SERVERPROPERTY(N'EngineEdition') AS INT) AS engine_edition,
       (SELECT compatibility_level FROM sys.databases WHERE database_id = DB_ID()) AS compatibility_level;

-- name: job_counts
SELECT status, n FROM dbo.exec_report_job_counts WITH (NOEXPAND);

-- name: oldest_queued
SELECT MIN(created_at) AS created_at FROM dbo.exec_report_jobs WHERE status = N'queued';

-- Pages find their keys on the narrow (created_at, job_id) or (status, created_at, job_id) index,
-- where OFFSET skips index entries only, then read full rows for the page alone: OFFSET over
-- SELECT * would look up every skipped row (hundreds of thousands in the middle pages).

-- name: list_jobs_newest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    ORDER BY created_at DESC, job_id DESC
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at DESC, page.job_id DESC;

-- name: list_jobs_oldest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    ORDER BY created_at, job_id
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at, page.job_id;

-- name: list_jobs_waiting_retry
-- Queued jobs waiting for their next attempt (run_after ahead, by the server's clock, as claim_jobs
-- reads it), the soonest first: the list's "Retrying" view.
SELECT * FROM dbo.exec_report_jobs
WHERE status = N'queued' AND run_after > SYSUTCDATETIME()
ORDER BY run_after, job_id
OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY;

-- name: count_jobs_waiting_retry
-- Also the "Retrying" chip's count on every list read: 0085's (status, run_after) index answers it.
SELECT COUNT(*) AS n FROM dbo.exec_report_jobs WHERE status = N'queued' AND run_after > SYSUTCDATETIME();

-- name: snapshot_models
-- The model that wrote each listed job's report, newest snapshot last: the list's model text for a
-- succeeded job. Snapshots from before job_id was written (matched by scope and period) show in Details only.
SELECT job_id, gen_model FROM dbo.exec_report_snapshots
WHERE job_id IN (SELECT job_id FROM OPENJSON(:job_ids) WITH (job_id NVARCHAR(64) '$')) AND gen_model IS NOT NULL
ORDER BY job_id, created_at;

-- name: list_jobs_by_status_newest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    WHERE status = :status
    ORDER BY created_at DESC, job_id DESC
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at DESC, page.job_id DESC;

-- name: list_jobs_by_status_oldest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    WHERE status = :status
    ORDER BY created_at, job_id
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at, page.job_id;

-- Deep pages (shared/jobs/paging.py): the hourly rollup view of 0020 counts the jobs of each hour,
-- so the hour that holds row number :skip is found without reading jobs, and the page's keys are
-- then read by seeking the index at that hour's edge and skipping only the rows inside the hour.
-- NOEXPAND: only Enterprise edition matches indexed views on its own
-- (learn.microsoft.com/sql/relational-databases/views/create-indexed-views#additional-requirements).

-- name: page_boundary_newest
SELECT epoch_hour, passed FROM (
    SELECT epoch_hour, n, SUM(n) OVER (ORDER BY epoch_hour DESC ROWS UNBOUNDED PRECEDING) - n AS passed
    FROM (SELECT epoch_hour, SUM(jobs) AS n FROM dbo.exec_report_metrics_jobs WITH (NOEXPAND)
          WHERE :status IS NULL OR status = :status
          GROUP BY epoch_hour) AS hours) AS walked
WHERE passed <= :skip AND passed + n > :skip;

-- name: page_boundary_oldest
SELECT epoch_hour, passed FROM (
    SELECT epoch_hour, n, SUM(n) OVER (ORDER BY epoch_hour ROWS UNBOUNDED PRECEDING) - n AS passed
    FROM (SELECT epoch_hour, SUM(jobs) AS n FROM dbo.exec_report_metrics_jobs WITH (NOEXPAND)
          WHERE :status IS NULL OR status = :status
          GROUP BY epoch_hour) AS hours) AS walked
WHERE passed <= :skip AND passed + n > :skip;

-- name: page_irregular_times
-- created_at is a date-time type here, so every hour's edge is exact.
SELECT 0 AS n;

-- name: list_jobs_seek_newest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    WHERE created_at < DATEADD(HOUR, :epoch_hour + 1, CONVERT(DATETIME2(3), '19700101', 112))
    ORDER BY created_at DESC, job_id DESC
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at DESC, page.job_id DESC;

-- name: list_jobs_seek_oldest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    WHERE created_at >= DATEADD(HOUR, :epoch_hour, CONVERT(DATETIME2(3), '19700101', 112))
    ORDER BY created_at, job_id
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at, page.job_id;

-- name: list_jobs_by_status_seek_newest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    WHERE status = :status AND created_at < DATEADD(HOUR, :epoch_hour + 1, CONVERT(DATETIME2(3), '19700101', 112))
    ORDER BY created_at DESC, job_id DESC
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at DESC, page.job_id DESC;

-- name: list_jobs_by_status_seek_oldest
SELECT j.* FROM (
    SELECT job_id, created_at FROM dbo.exec_report_jobs
    WHERE status = :status AND created_at >= DATEADD(HOUR, :epoch_hour, CONVERT(DATETIME2(3), '19700101', 112))
    ORDER BY created_at, job_id
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at, page.job_id;

-- name: get_job
SELECT * FROM dbo.exec_report_jobs WHERE job_id = :job_id;

-- name: get_job_snapshot
SELECT TOP (1) * FROM dbo.exec_report_snapshots
WHERE job_id = :job_id
   OR (job_id IS NULL AND scope_type = :scope_type AND scope_key = :scope_key
       AND (iso_week = :iso_week OR (iso_week IS NULL AND :iso_week IS NULL))
       AND (month_key = :month_key OR (month_key IS NULL AND :month_key IS NULL)))
ORDER BY CASE WHEN job_id IS NULL THEN 1 ELSE 0 END, created_at DESC;

-- name: find_active_job
-- UPDLOCK, HOLDLOCK: the range stays locked until the insert that follows commits.
SELECT TOP (1) * FROM dbo.exec_report_jobs WITH (UPDLOCK, HOLDLOCK)
WHERE scope_type = :scope_type AND scope_key = :scope_key
  AND (iso_week = :iso_week OR (iso_week IS NULL AND :iso_week IS NULL))
  AND (month_key = :month_key OR (month_key IS NULL AND :month_key IS NULL))
  AND status IN (N'queued', N'running')
ORDER BY created_at;

-- name: insert_job
INSERT INTO dbo.exec_report_jobs (
    job_id, scope_type, scope_key, iso_week, month_key, status, reason, created_at, started_at,
    finished_at, created_by, attempts, max_attempts, worker_id, lease_expires_at, error_detail)
VALUES (
    :job_id, :scope_type, :scope_key, :iso_week, :month_key, :status, :reason, :created_at, :started_at,
    :finished_at, :created_by, :attempts, :max_attempts, :worker_id, :lease_expires_at, :error_detail);

-- name: cancel_job
UPDATE dbo.exec_report_jobs
SET status = N'canceled', finished_at = :now, reason = :reason, lease_expires_at = NULL
WHERE job_id = :job_id AND status IN (N'queued', N'running');
SELECT @@ROWCOUNT AS affected;

-- name: claim_jobs
-- READPAST skips rows other workers hold; UPDLOCK keeps ours until commit; the CTE keeps FIFO order.
-- Leases, heartbeats, retry times and reaping all use the server's clock (SYSUTCDATETIME()), so a
-- host whose clock runs ahead cannot see live leases as expired. NEWID() is evaluated per row.
-- At most :global_limit jobs run at once across every instance: the running count is read from the
-- indexed view's row with UPDLOCK, HOLDLOCK, so concurrent claims queue up behind that one key (the
-- claim's own update of the view row takes it anyway) and two claims cannot both see a free slot.
-- NOEXPAND reads the view's index itself (learn.microsoft.com/sql/t-sql/queries/hints-transact-sql-table).
-- The claimed ids go INTO a temporary table, then the rows are read: a bare OUTPUT fails with error
-- 334 on a table with an enabled trigger (learn.microsoft.com/sql/t-sql/queries/output-clause-transact-sql).
-- SELECT INTO copies job_id's own type and collation, so the join seeks whatever the site made it.
DECLARE @running BIGINT, @take BIGINT;
SELECT @running = ISNULL(MAX(n), 0) FROM dbo.exec_report_job_counts WITH (NOEXPAND, UPDLOCK, HOLDLOCK) WHERE status = N'running';
SET @take = :global_limit - @running;
IF @take > :limit SET @take = :limit;
IF @take < 0 SET @take = 0;
DROP TABLE IF EXISTS #claimed;
SELECT TOP (0) job_id INTO #claimed FROM dbo.exec_report_jobs;
WITH next_jobs AS (
    SELECT TOP (@take) * FROM dbo.exec_report_jobs WITH (ROWLOCK, READPAST, UPDLOCK)
    WHERE status = N'queued' AND (run_after IS NULL OR run_after <= SYSUTCDATETIME())
    ORDER BY created_at, job_id)
UPDATE next_jobs
SET status = N'running', worker_id = :worker_id, started_at = :now, heartbeat_at = SYSUTCDATETIME(),
    lease_expires_at = DATEADD(second, :lease_seconds, SYSUTCDATETIME()), attempts = attempts + 1,
    claim_token = CONVERT(VARCHAR(36), NEWID())
OUTPUT inserted.job_id INTO #claimed;
SELECT j.* FROM dbo.exec_report_jobs AS j JOIN #claimed AS c ON c.job_id = j.job_id;
DROP TABLE #claimed;

-- name: claim_job
-- One job by id (the queue trigger's message names it), under the same global limit and lock as claim_jobs.
DECLARE @running BIGINT;
SELECT @running = ISNULL(MAX(n), 0) FROM dbo.exec_report_job_counts WITH (NOEXPAND, UPDLOCK, HOLDLOCK) WHERE status = N'running';
DROP TABLE IF EXISTS #claimed;
SELECT TOP (0) job_id INTO #claimed FROM dbo.exec_report_jobs;
WITH this_job AS (
    SELECT * FROM dbo.exec_report_jobs WITH (ROWLOCK, UPDLOCK)
    WHERE job_id = :job_id AND status = N'queued' AND (run_after IS NULL OR run_after <= SYSUTCDATETIME())
        AND @running < :global_limit)
UPDATE this_job
SET status = N'running', worker_id = :worker_id, started_at = :now, heartbeat_at = SYSUTCDATETIME(),
    lease_expires_at = DATEADD(second, :lease_seconds, SYSUTCDATETIME()), attempts = attempts + 1,
    claim_token = CONVERT(VARCHAR(36), NEWID())
OUTPUT inserted.job_id INTO #claimed;
SELECT j.* FROM dbo.exec_report_jobs AS j JOIN #claimed AS c ON c.job_id = j.job_id;
DROP TABLE #claimed;

-- name: claim_refusal
-- Why claim_job took nothing: the job's state, whether it is due (by the server's clock), and how many jobs run.
SELECT j.status, j.run_after, CASE WHEN j.run_after > SYSUTCDATETIME() THEN 1 ELSE 0 END AS not_due,
    ISNULL((SELECT c.n FROM dbo.exec_report_job_counts AS c WITH (NOEXPAND) WHERE c.status = N'running'), 0) AS running
FROM dbo.exec_report_jobs AS j WHERE j.job_id = :job_id;

-- name: running_count
SELECT ISNULL((SELECT n FROM dbo.exec_report_job_counts WITH (NOEXPAND) WHERE status = N'running'), 0) AS n;

-- name: stale_queued_jobs
-- Queued and due since before :before with no worker on them: their message was lost, or another
-- application inserted them straight into the table. The sweep sends each a message.
SELECT TOP (:limit) job_id FROM dbo.exec_report_jobs
WHERE status = N'queued' AND ISNULL(run_after, created_at) <= :before
ORDER BY created_at, job_id;

-- name: renew_lease
UPDATE dbo.exec_report_jobs
SET lease_expires_at = DATEADD(second, :lease_seconds, SYSUTCDATETIME()), heartbeat_at = SYSUTCDATETIME()
WHERE job_id = :job_id AND status = N'running' AND claim_token = :claim_token;
SELECT @@ROWCOUNT AS affected;

-- name: complete_job
UPDATE dbo.exec_report_jobs
SET status = N'succeeded', finished_at = :now, reason = :reason, error_detail = NULL, lease_expires_at = NULL
WHERE job_id = :job_id AND status = N'running' AND claim_token = :claim_token;
SELECT @@ROWCOUNT AS affected;

-- name: insert_snapshot
INSERT INTO dbo.exec_report_snapshots (
    job_id, scope_type, scope_key, iso_week, month_key, analysis_json, created_at, rows_used,
    gen_model, gen_ms, prompt_tokens, completion_tokens, prompt_version)
VALUES (
    :job_id, :scope_type, :scope_key, :iso_week, :month_key, :analysis_json, :created_at, :rows_used,
    :gen_model, :gen_ms, :prompt_tokens, :completion_tokens, :prompt_version);

-- name: fail_job
UPDATE dbo.exec_report_jobs
SET status = N'failed', finished_at = :now, reason = :reason, error_detail = :error_detail, lease_expires_at = NULL
WHERE job_id = :job_id AND status = N'running' AND claim_token = :claim_token;
SELECT @@ROWCOUNT AS affected;

-- name: retry_job_later
UPDATE dbo.exec_report_jobs
SET status = N'queued', started_at = NULL, worker_id = NULL, lease_expires_at = NULL,
    run_after = DATEADD(millisecond, :delay_ms, SYSUTCDATETIME()), reason = :reason, error_detail = :error_detail
WHERE job_id = :job_id AND status = N'running' AND claim_token = :claim_token;
SELECT @@ROWCOUNT AS affected;

-- name: release_job
UPDATE dbo.exec_report_jobs
SET status = N'queued', started_at = NULL, worker_id = NULL, lease_expires_at = NULL,
    attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
WHERE job_id = :job_id AND status = N'running' AND claim_token = :claim_token;
SELECT @@ROWCOUNT AS affected;

-- name: expired_leases
-- Attempts whose worker stopped renewing, by the server's clock; each is then requeued or failed by
-- its own token, so the history can record the attempt that was lost (the token is NULL on rows
-- another application set running). READPAST: a row another reaper holds is that reaper's.
SELECT TOP (:limit) job_id, claim_token, worker_id, started_at, attempts, max_attempts
FROM dbo.exec_report_jobs WITH (READPAST)
WHERE status = N'running' AND lease_expires_at < SYSUTCDATETIME()
ORDER BY lease_expires_at;

-- name: requeue_expired_job
UPDATE dbo.exec_report_jobs WITH (ROWLOCK, READPAST)
SET status = N'queued', started_at = NULL, worker_id = NULL, lease_expires_at = NULL, run_after = NULL, reason = :reason
WHERE job_id = :job_id AND (claim_token = :claim_token OR (claim_token IS NULL AND :claim_token IS NULL))
    AND status = N'running' AND lease_expires_at < SYSUTCDATETIME() AND attempts < max_attempts;
SELECT @@ROWCOUNT AS affected;

-- name: fail_expired_job
UPDATE dbo.exec_report_jobs WITH (ROWLOCK, READPAST)
SET status = N'failed', finished_at = :now, reason = :reason, lease_expires_at = NULL
WHERE job_id = :job_id AND (claim_token = :claim_token OR (claim_token IS NULL AND :claim_token IS NULL))
    AND status = N'running' AND lease_expires_at < SYSUTCDATETIME() AND attempts >= max_attempts;
SELECT @@ROWCOUNT AS affected;

-- name: insert_worker_run
INSERT INTO dbo.exec_report_worker_runs (run_id, [trigger], worker_id, started_at)
VALUES (:run_id, :trigger, :worker_id, :started_at);

-- name: finish_worker_run
UPDATE dbo.exec_report_worker_runs
SET finished_at = :finished_at, reaped = :reaped, claimed = :claimed, succeeded = :succeeded,
    failed = :failed, requeued = :requeued, canceled = :canceled, error = :error
WHERE run_id = :run_id;
SELECT @@ROWCOUNT AS affected;

-- name: list_worker_runs
SELECT TOP (:limit) * FROM dbo.exec_report_worker_runs ORDER BY started_at DESC;

-- name: reaped_worker_run
-- The pass that held a reaped lease: worker ids are one per pass, and it started before it claimed,
-- so the started_at index is walked back from the claim to the first row with that worker id.
SELECT TOP (1) run_id, [trigger], worker_id, started_at, finished_at, error FROM dbo.exec_report_worker_runs
WHERE worker_id = :worker_id AND started_at <= :claimed_at
ORDER BY started_at DESC;

-- name: mark_worker_run_lost
-- Once per run: the reaper notes a pass that never finished (a later finish of a stalled pass overwrites it).
UPDATE dbo.exec_report_worker_runs SET error = :error
WHERE run_id = :run_id AND finished_at IS NULL AND error IS NULL;
SELECT @@ROWCOUNT AS affected;

-- name: select_source_rows
SELECT metric_date, metric, value FROM {source_rows_table}
WHERE scope_type = :scope_type AND scope_key = :scope_key
  AND metric_date >= :start_date AND metric_date < :end_date
ORDER BY metric_date, metric;

-- name: insert_source_row
INSERT INTO dbo.exec_report_source_rows (scope_type, scope_key, metric_date, metric, value)
VALUES (:scope_type, :scope_key, :metric_date, :metric, :value);

-- Report schedules (recurring rules) and known scopes -------------------------------------------

-- name: list_schedules
SELECT * FROM dbo.exec_report_schedules ORDER BY name;

-- name: get_schedule
SELECT * FROM dbo.exec_report_schedules WHERE schedule_id = :schedule_id;

-- name: lock_schedule
-- UPDLOCK: an edit and an evaluation of one rule take turns until the transaction commits.
SELECT * FROM dbo.exec_report_schedules WITH (UPDLOCK, ROWLOCK) WHERE schedule_id = :schedule_id;

-- name: find_schedule_by_name
SELECT schedule_id FROM dbo.exec_report_schedules WITH (UPDLOCK, HOLDLOCK) WHERE name = :name;

-- name: due_schedules
SELECT schedule_id FROM dbo.exec_report_schedules
WHERE paused = 0 AND next_run_at <= :now
ORDER BY next_run_at, schedule_id;

-- name: insert_schedule
INSERT INTO dbo.exec_report_schedules (
    schedule_id, name, scope_type, scope_key, period_kind, cron, timezone, paused, created_by,
    created_at, updated_at, next_run_at)
VALUES (
    :schedule_id, :name, :scope_type, :scope_key, :period_kind, :cron, :timezone, :paused, :created_by,
    :created_at, :updated_at, :next_run_at);

-- name: update_schedule
UPDATE dbo.exec_report_schedules
SET name = :name, scope_type = :scope_type, scope_key = :scope_key, period_kind = :period_kind, cron = :cron,
    paused = :paused, updated_at = :updated_at, next_run_at = :next_run_at
WHERE schedule_id = :schedule_id;
SELECT @@ROWCOUNT AS affected;

-- name: set_schedule_next_run
UPDATE dbo.exec_report_schedules SET next_run_at = :next_run_at WHERE schedule_id = :schedule_id;
SELECT @@ROWCOUNT AS affected;

-- name: record_schedule_run
UPDATE dbo.exec_report_schedules SET last_run_at = :last_run_at, last_result = :last_result WHERE schedule_id = :schedule_id;
SELECT @@ROWCOUNT AS affected;

-- name: delete_schedule
DELETE FROM dbo.exec_report_schedules WHERE schedule_id = :schedule_id;
SELECT @@ROWCOUNT AS affected;

-- name: delete_schedule_runs
DELETE FROM dbo.exec_report_schedule_runs WHERE schedule_id = :schedule_id;
SELECT @@ROWCOUNT AS affected;

-- name: claim_schedule_period
-- UPDLOCK, HOLDLOCK: a concurrent claim waits, then sees the row and inserts nothing.
INSERT INTO dbo.exec_report_schedule_runs (schedule_id, period_label, run_trigger, run_by, run_at)
SELECT :schedule_id, :period_label, :run_trigger, :run_by, :run_at
WHERE NOT EXISTS (
    SELECT 1 FROM dbo.exec_report_schedule_runs WITH (UPDLOCK, HOLDLOCK)
    WHERE schedule_id = :schedule_id AND period_label = :period_label);
SELECT @@ROWCOUNT AS affected;

-- name: lock_schedule_run
-- UPDLOCK: a second instance resuming the same fan-out waits here, then reads the advanced cursor.
SELECT * FROM dbo.exec_report_schedule_runs WITH (UPDLOCK, ROWLOCK)
WHERE schedule_id = :schedule_id AND period_label = :period_label;

-- name: advance_schedule_run
UPDATE dbo.exec_report_schedule_runs
SET jobs_created = :jobs_created, jobs_existing = :jobs_existing, scopes_after = :scopes_after,
    jobs_shown = :jobs_shown, finished_at = :finished_at
WHERE schedule_id = :schedule_id AND period_label = :period_label AND finished_at IS NULL;
SELECT @@ROWCOUNT AS affected;

-- name: unfinished_schedule_runs
SELECT schedule_id, period_label FROM dbo.exec_report_schedule_runs WHERE finished_at IS NULL
ORDER BY run_at, schedule_id, period_label;

-- name: get_schedule_run
SELECT * FROM dbo.exec_report_schedule_runs WHERE schedule_id = :schedule_id AND period_label = :period_label;

-- name: scopes_with_rows
SELECT DISTINCT TOP (:limit) scope_key FROM {source_rows_table}
WHERE scope_type = :scope_type AND metric_date >= :start_date AND metric_date < :end_date AND scope_key > :after
ORDER BY scope_key;

-- name: known_scopes_from_jobs
SELECT DISTINCT TOP (:limit) scope_type, scope_key FROM dbo.exec_report_jobs
WHERE (:scope_type IS NULL OR scope_type = :scope_type) AND scope_key LIKE :key_prefix ESCAPE N'\'
ORDER BY scope_type, scope_key;

-- name: known_scopes_from_source_rows
SELECT DISTINCT TOP (:limit) scope_type, scope_key FROM {source_rows_table}
WHERE (:scope_type IS NULL OR scope_type = :scope_type) AND scope_key LIKE :key_prefix ESCAPE N'\'
ORDER BY scope_type, scope_key;

-- ---------------------------------------------------------------------------------------------
-- Failure notifications (shared/notify): the outbox, and the job reads that fill it.

-- name: notify_add
-- UPDLOCK, HOLDLOCK: two instances seeing the same failure insert it once, without a key violation.
INSERT INTO dbo.exec_report_notifications (channel, kind, job_id, dedupe_key, payload, event_at, created_at, next_attempt_at)
SELECT :channel, :kind, :job_id, :dedupe_key, :payload, :event_at, :now, :now
WHERE NOT EXISTS (SELECT 1 FROM dbo.exec_report_notifications WITH (UPDLOCK, HOLDLOCK) WHERE dedupe_key = :dedupe_key);
SELECT @@ROWCOUNT AS affected;

-- name: notify_last_failure_event
SELECT MAX(event_at) AS event_at FROM dbo.exec_report_notifications WHERE kind = N'job_failed';

-- name: notify_failed_jobs_since
SELECT TOP (:limit) job_id, scope_type, scope_key, iso_week, month_key, reason, attempts, max_attempts, finished_at, created_by
FROM dbo.exec_report_jobs
WHERE status = N'failed' AND (finished_at > :since OR (finished_at = :since AND job_id > :after_job_id))
ORDER BY finished_at, job_id;

-- name: notify_finished_counts
SELECT status, COUNT_BIG(*) AS n FROM dbo.exec_report_jobs
WHERE status IN (N'succeeded', N'failed') AND finished_at >= :since
GROUP BY status;

-- name: notify_last_attempt
-- UPDLOCK, HOLDLOCK: digest dispatchers on two instances take turns, so one email per interval.
SELECT MAX(last_attempt_at) AS last_attempt_at FROM dbo.exec_report_notifications WITH (UPDLOCK, HOLDLOCK)
WHERE channel = :channel;

-- name: notify_claim
-- OUTPUT ... INTO a table variable, then a SELECT: a bare OUTPUT fails with error 334 once the
-- table has an enabled trigger (learn.microsoft.com/sql/t-sql/queries/output-clause-transact-sql).
DECLARE @claimed TABLE (id BIGINT NOT NULL);
WITH due AS (
    SELECT TOP (:limit) * FROM dbo.exec_report_notifications WITH (ROWLOCK, READPAST, UPDLOCK)
    WHERE channel = :channel AND sent_at IS NULL AND attempts < :max_attempts AND next_attempt_at <= :now
    ORDER BY id)
UPDATE due
SET attempts = attempts + 1, last_attempt_at = :now, next_attempt_at = :claim_until
OUTPUT inserted.id INTO @claimed;
SELECT n.* FROM dbo.exec_report_notifications AS n JOIN @claimed AS c ON c.id = n.id ORDER BY n.id;

-- name: notify_mark_sent
UPDATE dbo.exec_report_notifications SET sent_at = :now, last_error = NULL WHERE id = :id;
SELECT @@ROWCOUNT AS affected;

-- name: notify_mark_failed
UPDATE dbo.exec_report_notifications SET next_attempt_at = :next_attempt_at, last_error = :error WHERE id = :id;
SELECT @@ROWCOUNT AS affected;

-- name: notify_recent_failures
SELECT TOP (:limit) * FROM dbo.exec_report_notifications
WHERE last_error IS NOT NULL
ORDER BY last_attempt_at DESC, id DESC;

-- name: notify_purge
DELETE TOP (:limit) FROM dbo.exec_report_notifications WHERE created_at < :before;
SELECT @@ROWCOUNT AS affected;

-- ===== Operations (issue 8 part A): audit log, job history, retry, search, retention =====

-- name: audit_insert
INSERT INTO dbo.exec_report_audit_log (at, actor, action, job_id, detail)
VALUES (:at, :actor, :action, :job_id, :detail);

-- name: audit_page
SELECT TOP (:limit) * FROM dbo.exec_report_audit_log
WHERE audit_id < :before_id
ORDER BY audit_id DESC;

-- name: audit_count
SELECT COUNT_BIG(*) AS n FROM dbo.exec_report_audit_log;

-- name: job_event_insert
INSERT INTO dbo.exec_report_job_events (job_id, at, from_status, to_status, actor, detail)
VALUES (:job_id, :at, :from_status, :to_status, :actor, :detail);

-- name: job_events_for_job
SELECT * FROM dbo.exec_report_job_events WHERE job_id = :job_id ORDER BY event_id;

-- name: retry_finished_job
UPDATE dbo.exec_report_jobs
SET status = N'queued', reason = :reason, started_at = NULL, finished_at = NULL, worker_id = NULL,
    lease_expires_at = NULL, heartbeat_at = NULL, run_after = NULL, error_detail = NULL,
    max_attempts = attempts + :extra_attempts
WHERE job_id = :job_id AND status IN (N'failed', N'canceled');
SELECT @@ROWCOUNT AS affected;

-- Search: the same names as in SQLite, where each plan drives a different index. SQL Server gets
-- one catch-all statement per purpose instead; OPTION (RECOMPILE) plans it for the values of each
-- call, so the absent filters drop out. It reads the indexed view of 0080 (each job's filter columns
-- and one line of search text), never the wide table: the page's keys come from the view, newest
-- first, and only those rows are then read in full. The job id prefix seeks the view's job ids;
-- text terms are LIKE over the search line, escaped for LIKE's [ % _, and only from 3 characters on,
-- as SQLite's trigram index finds text (a shorter q is a job id prefix in both).

-- name: search_jobs_by_key, search_jobs_by_status, search_jobs_by_time
SELECT j.* FROM (
    SELECT s.job_id, s.created_at FROM dbo.exec_report_job_search AS s WITH (NOEXPAND)
    CROSS APPLY (SELECT REPLACE(REPLACE(REPLACE(:q, N'[', N'[[]'), N'%', N'[%]'), N'_', N'[_]') AS text) AS p
    WHERE (:status IS NULL OR s.status = :status)
      AND s.created_at >= :created_from AND s.created_at < :created_to AND s.created_at <= :before_at
      AND (s.created_at < :before_at OR s.job_id < :before_id)
      AND (:scope_type IS NULL OR s.scope_type = :scope_type)
      AND (:q IS NULL OR s.job_id LIKE p.text + N'%' OR (LEN(:q) >= 3 AND s.search_text LIKE N'%' + p.text + N'%'))
    ORDER BY s.created_at DESC, s.job_id DESC
    OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY) AS page
JOIN dbo.exec_report_jobs AS j ON j.job_id = page.job_id
ORDER BY page.created_at DESC, page.job_id DESC
OPTION (RECOMPILE);

-- name: search_count_by_key, search_count_by_status, search_count_by_time
SELECT COUNT(*) AS n FROM (
    SELECT TOP (:cap) s.job_id FROM dbo.exec_report_job_search AS s WITH (NOEXPAND)
    CROSS APPLY (SELECT REPLACE(REPLACE(REPLACE(:q, N'[', N'[[]'), N'%', N'[%]'), N'_', N'[_]') AS text) AS p
    WHERE (:status IS NULL OR s.status = :status) AND s.created_at >= :created_from AND s.created_at < :created_to
      AND (:scope_type IS NULL OR s.scope_type = :scope_type)
      AND (:q IS NULL OR s.job_id LIKE p.text + N'%' OR (LEN(:q) >= 3 AND s.search_text LIKE N'%' + p.text + N'%'))) AS m
OPTION (RECOMPILE);

-- name: retention_delete_jobs
-- One batch, oldest first: the jobs are deleted and their ids captured once, in the table variable,
-- so the two statements that follow remove exactly these jobs' snapshots and history (re-selecting
-- the batch in each, under read-committed snapshot, could see different rows). A batch stays far
-- below the ~5,000 locks per statement at which SQL Server escalates to a table lock (RETENTION_BATCH_SIZE
-- is at most 1,000; learn.microsoft.com/sql/relational-databases/sql-server-transaction-locking-and-row-versioning-guide#lock-escalation).
DECLARE @deleted TABLE (job_id NVARCHAR(64) NOT NULL);
WITH oldest AS (
    SELECT TOP (:batch) job_id FROM dbo.exec_report_jobs WITH (ROWLOCK, READPAST)
    WHERE status IN (N'succeeded', N'failed', N'canceled') AND created_at < :cutoff AND finished_at < :cutoff
    ORDER BY created_at, job_id)
DELETE FROM oldest OUTPUT deleted.job_id INTO @deleted;
SELECT job_id FROM @deleted;

-- name: retention_delete_snapshots
DELETE FROM dbo.exec_report_snapshots
WHERE job_id IN (SELECT job_id FROM OPENJSON(:job_ids) WITH (job_id NVARCHAR(64) '$'));
SELECT @@ROWCOUNT AS affected;

-- name: retention_delete_events
DELETE FROM dbo.exec_report_job_events
WHERE job_id IN (SELECT job_id FROM OPENJSON(:job_ids) WITH (job_id NVARCHAR(64) '$'));
SELECT @@ROWCOUNT AS affected;

-- ===== Operations metrics, worker health, LLM usage and cost (issue 8, part B) =====
-- Metrics read the hourly rollups of migration 0020 for the UTC hours [since_hour, until_hour), never
-- the jobs table, so a request costs the same at any table size. A bucket of :bucket_hours hours
-- (1 or 24) is the sum of its hours. Percentiles are worked out by the service from bin counts.

-- name: metrics_rollup_jobs
-- Jobs created per bucket (all statuses of each hour) and those now succeeded, failed or canceled.
SELECT bucket, SUM(jobs) AS created,
       SUM(CASE WHEN status = N'succeeded' THEN jobs ELSE 0 END) AS succeeded,
       SUM(CASE WHEN status = N'failed' THEN jobs ELSE 0 END) AS failed,
       SUM(CASE WHEN status = N'canceled' THEN jobs ELSE 0 END) AS canceled
FROM (SELECT epoch_hour / :bucket_hours AS bucket, status, jobs FROM dbo.exec_report_metrics_jobs WITH (NOEXPAND)
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour) AS hours
GROUP BY bucket;

-- name: metrics_rollup_timings
-- Queue wait and processing time bins per bucket, in bin order.
SELECT hours.bucket, hours.metric, hours.bin, b.value_ms, SUM(hours.n) AS n
FROM (SELECT epoch_hour / :bucket_hours AS bucket, N'wait' AS metric, bin, n FROM dbo.exec_report_metrics_wait WITH (NOEXPAND)
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour
      UNION ALL
      SELECT epoch_hour / :bucket_hours AS bucket, N'run' AS metric, bin, n FROM dbo.exec_report_metrics_run WITH (NOEXPAND)
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour) AS hours
JOIN dbo.exec_report_metrics_bins AS b ON b.bin = hours.bin
GROUP BY hours.bucket, hours.metric, hours.bin, b.value_ms
HAVING SUM(hours.n) > 0
ORDER BY hours.bucket, hours.metric, hours.bin;

-- name: metrics_rollup_models
-- Generation time per bucket and named model, from the snapshots of jobs in any status.
SELECT bucket, model, SUM(gen_count) AS reports, SUM(gen_ms_sum) AS gen_ms_sum
FROM (SELECT epoch_hour / :bucket_hours AS bucket, model, gen_count, gen_ms_sum FROM dbo.exec_report_metrics_models WITH (NOEXPAND)
      WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour AND model <> N'') AS hours
GROUP BY bucket, model
HAVING SUM(gen_count) > 0;

-- name: usage_rollup_outcomes
-- Succeeded and failed jobs of the window, with a snapshot or without.
SELECT status, SUM(jobs) AS jobs FROM dbo.exec_report_metrics_jobs WITH (NOEXPAND)
WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour AND status IN (N'succeeded', N'failed')
GROUP BY status;

-- name: usage_rollup_models
-- Succeeded and failed jobs that have a snapshot, per model and outcome, with tokens.
SELECT model, outcome, SUM(jobs) AS jobs, SUM(gen_count) AS gen_count, SUM(gen_ms_sum) AS gen_ms_sum,
       SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens, SUM(jobs_with_usage) AS jobs_with_usage
FROM dbo.exec_report_metrics_models WITH (NOEXPAND)
WHERE epoch_hour >= :since_hour AND epoch_hour < :until_hour AND outcome IN (N'succeeded', N'failed')
GROUP BY model, outcome;

-- name: usage_rollup_gen
-- Generation time bins per model, in bin order.
SELECT g.model, g.bin, b.value_ms, SUM(g.n) AS n
FROM dbo.exec_report_metrics_gen AS g WITH (NOEXPAND)
JOIN dbo.exec_report_metrics_bins AS b ON b.bin = g.bin
WHERE g.epoch_hour >= :since_hour AND g.epoch_hour < :until_hour
GROUP BY g.model, g.bin, b.value_ms
HAVING SUM(g.n) > 0
ORDER BY g.model, g.bin;

-- name: health_running_jobs
-- Running jobs, the most overdue lease first; the status index finds them without a scan.
SELECT TOP (:limit) job_id, scope_type, scope_key, iso_week, month_key, worker_id, started_at, heartbeat_at,
       lease_expires_at, attempts, max_attempts
FROM dbo.exec_report_jobs
WHERE status = N'running'
ORDER BY lease_expires_at, job_id;

-- name: health_problem_runs
-- Recent passes that recorded an error, or that never finished (the process stopped mid-pass).
SELECT TOP (:limit) * FROM dbo.exec_report_worker_runs
WHERE started_at >= :since
  AND (error IS NOT NULL OR (finished_at IS NULL AND started_at < :unfinished_before))
ORDER BY started_at DESC;

-- name: health_last_timer_run
SELECT TOP (1) * FROM dbo.exec_report_worker_runs WHERE [trigger] = N'timer' ORDER BY started_at DESC;

-- ===== Model calls, re-runs, comparison and feedback (issue 19; migration 0075) =====

-- name: insert_model_call
INSERT INTO dbo.exec_report_model_calls (
    job_id, attempt, call_no, started_at, generator, model, answered_model, prompt_version, parameters_json,
    messages_json, answer_text, finish_reason, prompt_tokens, completion_tokens, latency_ms, request_id,
    outcome, problem, truncated)
VALUES (
    :job_id, :attempt, :call_no, :started_at, :generator, :model, :answered_model, :prompt_version, :parameters_json,
    :messages_json, :answer_text, :finish_reason, :prompt_tokens, :completion_tokens, :latency_ms, :request_id,
    :outcome, :problem, :truncated);

-- name: list_model_calls
SELECT TOP (100) * FROM dbo.exec_report_model_calls WHERE job_id = :job_id ORDER BY call_id;

-- name: record_job_model
-- What the job's latest attempt used; a re-run's choice and original stay as they were. UPDLOCK,
-- HOLDLOCK: of two writers that both miss the row, one inserts it and the other waits, then updates nothing.
UPDATE dbo.exec_report_job_models
SET generator = :generator, model = :model, prompt_version = :prompt_version, updated_at = :now
WHERE job_id = :job_id;
INSERT INTO dbo.exec_report_job_models (job_id, generator, model, prompt_version, updated_at)
SELECT :job_id, :generator, :model, :prompt_version, :now
WHERE NOT EXISTS (SELECT 1 FROM dbo.exec_report_job_models WITH (UPDLOCK, HOLDLOCK) WHERE job_id = :job_id);
SELECT @@ROWCOUNT AS affected;

-- name: insert_job_model_choice
INSERT INTO dbo.exec_report_job_models (job_id, model_choice, rerun_of, updated_at) VALUES (:job_id, :model_choice, :rerun_of, :now);

-- name: get_job_model
SELECT * FROM dbo.exec_report_job_models WHERE job_id = :job_id;

-- name: list_job_reruns
SELECT TOP (20) job_id FROM dbo.exec_report_job_models WHERE rerun_of = :job_id ORDER BY updated_at DESC, job_id;

-- name: same_period_snapshots
SELECT TOP (20) s.job_id, s.created_at, s.gen_model, s.prompt_version
FROM dbo.exec_report_snapshots s
WHERE s.scope_type = :scope_type AND s.scope_key = :scope_key
  AND (s.iso_week = :iso_week OR (s.iso_week IS NULL AND :iso_week IS NULL))
  AND (s.month_key = :month_key OR (s.month_key IS NULL AND :month_key IS NULL))
  AND s.job_id IS NOT NULL
ORDER BY s.created_at DESC;

-- name: upsert_feedback
UPDATE dbo.exec_report_feedback
SET rating = :rating, note = :note, rated_by = :actor, rated_at = :now
WHERE job_id = :job_id;
INSERT INTO dbo.exec_report_feedback (job_id, rating, note, rated_by, rated_at)
SELECT :job_id, :rating, :note, :actor, :now
WHERE NOT EXISTS (SELECT 1 FROM dbo.exec_report_feedback WITH (UPDLOCK, HOLDLOCK) WHERE job_id = :job_id);
SELECT @@ROWCOUNT AS affected;

-- name: get_feedback
SELECT * FROM dbo.exec_report_feedback WHERE job_id = :job_id;

-- name: model_comparison
SELECT m.generator, m.model, m.prompt_version,
       SUM(CASE WHEN j.status = N'succeeded' THEN 1 ELSE 0 END) AS succeeded,
       SUM(CASE WHEN j.status = N'failed' THEN 1 ELSE 0 END) AS failed,
       COUNT(s.gen_ms) AS gen_count, COALESCE(SUM(CAST(s.gen_ms AS BIGINT)), 0) AS gen_ms_sum,
       COALESCE(SUM(CAST(s.prompt_tokens AS BIGINT)), 0) AS prompt_tokens,
       COALESCE(SUM(CAST(s.completion_tokens AS BIGINT)), 0) AS completion_tokens,
       SUM(CASE WHEN f.rating = N'good' THEN 1 ELSE 0 END) AS rated_good, COUNT(f.rating) AS rated
FROM dbo.exec_report_job_models m
JOIN dbo.exec_report_jobs j ON j.job_id = m.job_id
LEFT JOIN dbo.exec_report_snapshots s ON s.job_id = m.job_id
LEFT JOIN dbo.exec_report_feedback f ON f.job_id = m.job_id
WHERE m.updated_at >= :since AND m.updated_at < :until AND m.generator IS NOT NULL
GROUP BY m.generator, m.model, m.prompt_version
ORDER BY m.generator, m.model, m.prompt_version;

-- name: retention_delete_model_calls
DELETE FROM dbo.exec_report_model_calls
WHERE job_id IN (SELECT job_id FROM OPENJSON(:job_ids) WITH (job_id NVARCHAR(64) '$'));
SELECT @@ROWCOUNT AS affected;

-- name: retention_delete_job_models
DELETE FROM dbo.exec_report_job_models
WHERE job_id IN (SELECT job_id FROM OPENJSON(:job_ids) WITH (job_id NVARCHAR(64) '$'));
SELECT @@ROWCOUNT AS affected;

-- name: retention_delete_feedback
DELETE FROM dbo.exec_report_feedback
WHERE job_id IN (SELECT job_id FROM OPENJSON(:job_ids) WITH (job_id NVARCHAR(64) '$'));
SELECT @@ROWCOUNT AS affected;
