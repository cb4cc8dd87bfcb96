"""A local host left running: requests and worker passes leave no connection, file or thread behind.

Before the pool, every request thread opened a database connection that was never closed: open
files grew by about two per request until the host answered 503 to everything. This runs the
benchmark's soak at a few hundred requests and passes and holds it to the same bound.
"""

from __future__ import annotations

from bench.soak import GROWTH_LIMIT, MEASURES, soak


def test_open_files_connections_threads_and_memory_stay_flat_over_requests_and_passes() -> None:
    # 3,000 calls fill SQLite's page caches and the pool first; the few hundred after them are held to the bound.
    result = soak(requests=3_400, passes=340, warm_up=3_000)

    assert result.problems == []
    warm, end = result.samples[0], result.samples[-1]
    assert end.requests - warm.requests >= 400 and end.passes - warm.passes >= 40
    assert 0 < warm.database_files <= 3 * 10  # database, WAL and shared memory per pooled connection, at most DB_POOL_SIZE
    for measure in MEASURES:
        # Open files, connections and threads are counts: flat over the whole window. Memory can
        # still rise by a few hundred KB in the first half while a busy machine has the pool open
        # one more connection and SQLite fill its page cache (bounded per connection); a leak
        # grows in the second half too, so memory is held to the bound from the middle sample on.
        since = 1 if measure == "rss_kb" else 0
        assert result.growth(measure, since) <= GROWTH_LIMIT, (measure, [getattr(sample, measure) for sample in result.samples])
    assert result.growth("rss_kb") <= 2 * GROWTH_LIMIT, [sample.rss_kb for sample in result.samples]
