"""The worker: claims queued jobs, generates their reports, and records each pass."""
