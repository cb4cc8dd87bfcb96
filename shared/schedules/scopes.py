"""Known scopes, for suggestions: distinct (scope_type, scope_key) pairs from jobs and source rows.

Each table is read in index order with a limit, so the answer costs about `limit` index entries,
not a scan of the whole table; the two short lists are merged here.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.db import Database, Transaction


@dataclass(frozen=True)
class KnownScopes:
    scopes: list[tuple[str, str]]
    truncated: bool  # more pairs match than were returned


def _like_prefix(prefix: str) -> str:
    # `[` opens a character class in T-SQL's LIKE (learn.microsoft.com/sql/t-sql/language-elements/like-transact-sql),
    # so it is escaped with the rest; SQLite matches an escaped `[` as itself too.
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("[", "\\[")
    return escaped + "%"


class ScopesRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def known(self, scope_type: str | None, prefix: str, limit: int) -> KnownScopes:
        params = {"scope_type": scope_type, "key_prefix": _like_prefix(prefix), "limit": limit + 1}

        def read(tx: Transaction) -> set[tuple[str, str]]:
            found: set[tuple[str, str]] = set()
            for query in ("known_scopes_from_jobs", "known_scopes_from_source_rows"):
                found.update((row["scope_type"], row["scope_key"]) for row in tx.fetch_all(query, params))
            return found

        merged = sorted(self.db.run(read, write=False))
        return KnownScopes(merged[:limit], len(merged) > limit)
