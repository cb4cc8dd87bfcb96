-- Hourly rollups behind /api/admin/metrics and /api/admin/usage, kept by triggers as jobs and
-- snapshots change (rows the queuing application writes, and retention's deletes, included), so a
-- 30-day chart reads a few thousand rollup rows instead of scanning and sorting every job in range.
-- Each rollup is exactly what a scan of the current rows would give (SQL Server keeps the same
-- rollups as indexed views): a job counts once, in the UTC hour it was created, as its latest
-- attempt left it. Timings go into fixed log-scale bins so p50/p95 come from bin counts.

-- The bins, in whole milliseconds: below 5 ms each value has its own bin, above it a bin spans
-- [lower, lower * 1.2], so its value_ms is within 1/11 (9.1%) of every value in it. Bin 0 holds
-- everything under 1 ms (negative spans from clock skew included) and reads as 0; the last bin
-- holds everything from about 3 years up.
CREATE TABLE IF NOT EXISTS exec_report_metrics_bins (
    bin      INTEGER PRIMARY KEY,
    lower_ms INTEGER NOT NULL,
    upper_ms INTEGER NOT NULL,  -- exclusive
    value_ms REAL NOT NULL      -- what a percentile falling in this bin reads as
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_exec_report_metrics_bins_lower ON exec_report_metrics_bins (lower_ms);
DELETE FROM exec_report_metrics_bins;
WITH RECURSIVE edges (bin, lower_ms, upper_ms) AS (
    SELECT 1, 1, 2
    UNION ALL
    SELECT bin + 1, upper_ms, upper_ms * 6 / 5 + 1 FROM edges WHERE upper_ms <= 100000000000
)
INSERT INTO exec_report_metrics_bins (bin, lower_ms, upper_ms, value_ms)
SELECT 0, -9000000000000000000, 1, 0.0
UNION ALL
SELECT bin, lower_ms, upper_ms, 2.0 * lower_ms * (upper_ms - 1) / (lower_ms + upper_ms - 1) FROM edges
UNION ALL
SELECT MAX(bin) + 1, MAX(upper_ms), 9000000000000000000, MAX(upper_ms) FROM edges;

-- epoch_hour: whole hours since 1970-01-01 UTC of the job's created_at; a day is 24 of them.
CREATE TABLE IF NOT EXISTS exec_report_metrics_jobs (
    epoch_hour INTEGER NOT NULL,
    status     TEXT NOT NULL,
    jobs       INTEGER NOT NULL,
    PRIMARY KEY (epoch_hour, status)
) WITHOUT ROWID;

-- Queue wait (created_at to started_at) of every job that has started.
CREATE TABLE IF NOT EXISTS exec_report_metrics_wait (
    epoch_hour INTEGER NOT NULL,
    bin        INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (epoch_hour, bin)
) WITHOUT ROWID;

-- Processing time (started_at to finished_at) of succeeded and failed jobs.
CREATE TABLE IF NOT EXISTS exec_report_metrics_run (
    epoch_hour INTEGER NOT NULL,
    bin        INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (epoch_hour, bin)
) WITHOUT ROWID;

-- Snapshots joined to their jobs, per model ('' when not recorded) and outcome (succeeded,
-- failed, or other for any other status).
CREATE TABLE IF NOT EXISTS exec_report_metrics_models (
    epoch_hour        INTEGER NOT NULL,
    model             TEXT NOT NULL,
    outcome           TEXT NOT NULL,
    jobs              INTEGER NOT NULL,
    gen_count         INTEGER NOT NULL,  -- snapshots with gen_ms
    gen_ms_sum        INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    jobs_with_usage   INTEGER NOT NULL,
    PRIMARY KEY (epoch_hour, model, outcome)
) WITHOUT ROWID;

-- Generation time of the snapshots of succeeded and failed jobs, per model.
CREATE TABLE IF NOT EXISTS exec_report_metrics_gen (
    epoch_hour INTEGER NOT NULL,
    model      TEXT NOT NULL,
    bin        INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (epoch_hour, model, bin)
) WITHOUT ROWID;

-- Each rule is written once: inserting a row into one of these two (always empty) views applies
-- `sign` (+1 or -1) times that row's share to the rollups. The table triggers below add a row's
-- new values and take away its old ones.
CREATE VIEW IF NOT EXISTS exec_report_metrics_job_delta AS
SELECT job_id, created_at, status, started_at, finished_at, 0 AS sign FROM exec_report_jobs WHERE 0;

CREATE VIEW IF NOT EXISTS exec_report_metrics_report_delta AS
SELECT j.created_at, j.status, s.gen_model, s.gen_ms, s.prompt_tokens, s.completion_tokens, 0 AS sign
FROM exec_report_jobs j JOIN exec_report_snapshots s ON s.job_id = j.job_id WHERE 0;

-- Rows whose times do not parse are left out rather than failing the writer's statement.
CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_job_delta INSTEAD OF INSERT ON exec_report_metrics_job_delta
BEGIN
    INSERT INTO exec_report_metrics_jobs (epoch_hour, status, jobs)
    SELECT epoch_hour, NEW.status, NEW.sign
    FROM (SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 3600 AS epoch_hour)
    WHERE epoch_hour IS NOT NULL
    ON CONFLICT (epoch_hour, status) DO UPDATE SET jobs = jobs + excluded.jobs;

    INSERT INTO exec_report_metrics_wait (epoch_hour, bin, n)
    SELECT epoch_hour, (SELECT bin FROM exec_report_metrics_bins WHERE lower_ms <= wait_ms ORDER BY lower_ms DESC LIMIT 1), NEW.sign
    FROM (SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 3600 AS epoch_hour,
                 CAST(round((julianday(NEW.started_at) - julianday(NEW.created_at)) * 86400000.0) AS INTEGER) AS wait_ms)
    WHERE epoch_hour IS NOT NULL AND wait_ms IS NOT NULL
    ON CONFLICT (epoch_hour, bin) DO UPDATE SET n = n + excluded.n;

    INSERT INTO exec_report_metrics_run (epoch_hour, bin, n)
    SELECT epoch_hour, (SELECT bin FROM exec_report_metrics_bins WHERE lower_ms <= run_ms ORDER BY lower_ms DESC LIMIT 1), NEW.sign
    FROM (SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 3600 AS epoch_hour,
                 CAST(round((julianday(NEW.finished_at) - julianday(NEW.started_at)) * 86400000.0) AS INTEGER) AS run_ms)
    WHERE epoch_hour IS NOT NULL AND run_ms IS NOT NULL AND NEW.status IN ('succeeded', 'failed')
    ON CONFLICT (epoch_hour, bin) DO UPDATE SET n = n + excluded.n;

    INSERT INTO exec_report_metrics_report_delta (created_at, status, gen_model, gen_ms, prompt_tokens, completion_tokens, sign)
    SELECT NEW.created_at, NEW.status, s.gen_model, s.gen_ms, s.prompt_tokens, s.completion_tokens, NEW.sign
    FROM exec_report_snapshots s WHERE s.job_id = NEW.job_id;
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_report_delta INSTEAD OF INSERT ON exec_report_metrics_report_delta
BEGIN
    INSERT INTO exec_report_metrics_models (
        epoch_hour, model, outcome, jobs, gen_count, gen_ms_sum, prompt_tokens, completion_tokens, jobs_with_usage)
    SELECT epoch_hour, COALESCE(NEW.gen_model, ''),
           CASE WHEN NEW.status IN ('succeeded', 'failed') THEN NEW.status ELSE 'other' END,
           NEW.sign, NEW.sign * (NEW.gen_ms IS NOT NULL), NEW.sign * COALESCE(NEW.gen_ms, 0),
           NEW.sign * COALESCE(NEW.prompt_tokens, 0), NEW.sign * COALESCE(NEW.completion_tokens, 0),
           NEW.sign * (NEW.prompt_tokens IS NOT NULL OR NEW.completion_tokens IS NOT NULL)
    FROM (SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 3600 AS epoch_hour)
    WHERE epoch_hour IS NOT NULL
    ON CONFLICT (epoch_hour, model, outcome) DO UPDATE SET
        jobs = jobs + excluded.jobs, gen_count = gen_count + excluded.gen_count, gen_ms_sum = gen_ms_sum + excluded.gen_ms_sum,
        prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens,
        jobs_with_usage = jobs_with_usage + excluded.jobs_with_usage;

    INSERT INTO exec_report_metrics_gen (epoch_hour, model, bin, n)
    SELECT epoch_hour, COALESCE(NEW.gen_model, ''),
           (SELECT bin FROM exec_report_metrics_bins WHERE lower_ms <= NEW.gen_ms ORDER BY lower_ms DESC LIMIT 1), NEW.sign
    FROM (SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 3600 AS epoch_hour)
    WHERE epoch_hour IS NOT NULL AND NEW.gen_ms IS NOT NULL AND NEW.status IN ('succeeded', 'failed')
    ON CONFLICT (epoch_hour, model, bin) DO UPDATE SET n = n + excluded.n;
END;

-- The initial fill, through the same rules (emptied first so a re-run adds nothing twice).
DELETE FROM exec_report_metrics_jobs;
DELETE FROM exec_report_metrics_wait;
DELETE FROM exec_report_metrics_run;
DELETE FROM exec_report_metrics_models;
DELETE FROM exec_report_metrics_gen;
INSERT INTO exec_report_metrics_job_delta (job_id, created_at, status, started_at, finished_at, sign)
SELECT job_id, created_at, status, started_at, finished_at, 1 FROM exec_report_jobs;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_jobs_insert AFTER INSERT ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_metrics_job_delta VALUES (NEW.job_id, NEW.created_at, NEW.status, NEW.started_at, NEW.finished_at, 1);
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_jobs_delete AFTER DELETE ON exec_report_jobs
BEGIN
    INSERT INTO exec_report_metrics_job_delta VALUES (OLD.job_id, OLD.created_at, OLD.status, OLD.started_at, OLD.finished_at, -1);
END;

-- Lease renewals and reason or error updates touch none of these columns, so they cost nothing here.
CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_jobs_update
AFTER UPDATE OF job_id, created_at, status, started_at, finished_at ON exec_report_jobs
WHEN OLD.job_id IS NOT NEW.job_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status
  OR OLD.started_at IS NOT NEW.started_at OR OLD.finished_at IS NOT NEW.finished_at
BEGIN
    INSERT INTO exec_report_metrics_job_delta VALUES (OLD.job_id, OLD.created_at, OLD.status, OLD.started_at, OLD.finished_at, -1);
    INSERT INTO exec_report_metrics_job_delta VALUES (NEW.job_id, NEW.created_at, NEW.status, NEW.started_at, NEW.finished_at, 1);
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_snapshots_insert AFTER INSERT ON exec_report_snapshots
BEGIN
    INSERT INTO exec_report_metrics_report_delta (created_at, status, gen_model, gen_ms, prompt_tokens, completion_tokens, sign)
    SELECT j.created_at, j.status, NEW.gen_model, NEW.gen_ms, NEW.prompt_tokens, NEW.completion_tokens, 1
    FROM exec_report_jobs j WHERE j.job_id = NEW.job_id;
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_snapshots_delete AFTER DELETE ON exec_report_snapshots
BEGIN
    INSERT INTO exec_report_metrics_report_delta (created_at, status, gen_model, gen_ms, prompt_tokens, completion_tokens, sign)
    SELECT j.created_at, j.status, OLD.gen_model, OLD.gen_ms, OLD.prompt_tokens, OLD.completion_tokens, -1
    FROM exec_report_jobs j WHERE j.job_id = OLD.job_id;
END;

CREATE TRIGGER IF NOT EXISTS tr_exec_report_metrics_snapshots_update
AFTER UPDATE OF job_id, gen_model, gen_ms, prompt_tokens, completion_tokens ON exec_report_snapshots
WHEN OLD.job_id IS NOT NEW.job_id OR OLD.gen_model IS NOT NEW.gen_model OR OLD.gen_ms IS NOT NEW.gen_ms
  OR OLD.prompt_tokens IS NOT NEW.prompt_tokens OR OLD.completion_tokens IS NOT NEW.completion_tokens
BEGIN
    INSERT INTO exec_report_metrics_report_delta (created_at, status, gen_model, gen_ms, prompt_tokens, completion_tokens, sign)
    SELECT j.created_at, j.status, OLD.gen_model, OLD.gen_ms, OLD.prompt_tokens, OLD.completion_tokens, -1
    FROM exec_report_jobs j WHERE j.job_id = OLD.job_id;
    INSERT INTO exec_report_metrics_report_delta (created_at, status, gen_model, gen_ms, prompt_tokens, completion_tokens, sign)
    SELECT j.created_at, j.status, NEW.gen_model, NEW.gen_ms, NEW.prompt_tokens, NEW.completion_tokens, 1
    FROM exec_report_jobs j WHERE j.job_id = NEW.job_id;
END;
