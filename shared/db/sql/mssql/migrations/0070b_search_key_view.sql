-- SQLite's search key (0070) moves into a view there. SQL Server has no such key: its search view
-- (0080) is clustered on (created_at, job_id). This file keeps the two dialects' migration lists in step.
SELECT 1 AS nothing_to_change;
