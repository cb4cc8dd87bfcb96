"""Worker health: the last and next worker runs, runs that failed, and running jobs' leases."""
