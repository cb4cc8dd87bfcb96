"""`make bench`: how the API, the stats, the worker and the page scale from 10k to 1M jobs, against targets."""
