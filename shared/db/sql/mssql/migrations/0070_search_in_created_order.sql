-- SQLite's trigram index is re-keyed in created order here. SQL Server needs no change: its search
-- view (0080) is clustered on (created_at, job_id) and so already walked newest first, and deep
-- pages seek through the indexes of 0003 guided by the hourly rollup view of 0020. This file keeps
-- the two dialects' migration lists in step.
SELECT 1 AS nothing_to_change;
