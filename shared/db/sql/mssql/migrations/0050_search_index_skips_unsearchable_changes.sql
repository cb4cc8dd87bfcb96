-- SQLite's trigram search index no longer re-indexes a job when only a short reason such as 'ok'
-- changes. SQL Server searches with LIKE over the table itself (0011), so it keeps no such index
-- and has nothing to change; this file keeps the two dialects' migration lists in step.
SELECT 1 AS nothing_to_change;
