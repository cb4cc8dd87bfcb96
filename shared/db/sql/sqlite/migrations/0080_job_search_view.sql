-- SQL Server gets an indexed view of each job's searchable text here. SQLite already searches
-- without scanning the jobs table, through the trigram index of 0011; this file keeps the two
-- dialects' migration lists in step.
SELECT 1 AS nothing_to_change;
