"""The job queue: an Azure Storage queue whose messages name runnable jobs (the database stays the truth)."""
