-- Issue 19: what the model was asked and what it answered. One row per model call of each attempt
-- (the first call, and the repair request after an answer that broke the schema), written by the
-- worker right after the call so failed and lost attempts keep theirs. Texts are capped per call by
-- shared/traces/capture.py (truncated = 1 then); secrets are masked before they are stored. Charts
-- never read this table: the metrics rollups of migration 0020 stay what they were.
CREATE TABLE IF NOT EXISTS exec_report_model_calls (
    call_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id            TEXT NOT NULL,
    attempt           INTEGER NOT NULL,
    call_no           INTEGER NOT NULL,  -- 1: the request; 2: the repair request that followed an invalid answer
    started_at        TEXT NOT NULL,
    generator         TEXT NOT NULL,     -- offline | azure_openai | openai
    model             TEXT,              -- what was asked for (the deployment on Azure)
    answered_model    TEXT,              -- what the endpoint said answered
    prompt_version    TEXT,
    parameters_json   TEXT NOT NULL,     -- temperature, response format, schema name and hash
    messages_json     TEXT NOT NULL,     -- the messages as sent, source rows included
    answer_text       TEXT,              -- the raw answer, before validation
    finish_reason     TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    latency_ms        INTEGER,
    request_id        TEXT,
    outcome           TEXT NOT NULL,     -- valid | invalid | error
    problem           TEXT,              -- what broke the schema, or the call's error
    truncated         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_exec_report_model_calls_job ON exec_report_model_calls (job_id, call_id);

-- The model a job asked for (a re-run's choice from MODEL_CHOICES; NULL: the configured generator),
-- the job it re-runs, and what its latest attempt used: the model comparison reads this small row
-- per job, never the traces.
CREATE TABLE IF NOT EXISTS exec_report_job_models (
    job_id         TEXT PRIMARY KEY,
    model_choice   TEXT,
    rerun_of       TEXT,
    generator      TEXT,
    model          TEXT,
    prompt_version TEXT,
    updated_at     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_exec_report_job_models_updated ON exec_report_job_models (updated_at);
CREATE INDEX IF NOT EXISTS ix_exec_report_job_models_rerun ON exec_report_job_models (rerun_of);

-- An admin's rating of a job's report: good or bad, with an optional note; the latest one counts,
-- the audit log keeps every one.
CREATE TABLE IF NOT EXISTS exec_report_feedback (
    job_id   TEXT PRIMARY KEY,
    rating   TEXT NOT NULL CHECK (rating IN ('good', 'bad')),
    note     TEXT,
    rated_by TEXT NOT NULL,
    rated_at TEXT NOT NULL
) WITHOUT ROWID;

-- The prompt version (name and content hash of the prompt template and schema) each snapshot was made with.
ALTER TABLE exec_report_snapshots ADD COLUMN prompt_version TEXT;
