"""Database faults the rest of the app understands, whatever the driver."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or stayed busy past the retry budget; callers answer 503."""


class SchemaBehind(DatabaseUnavailable):
    """The database has migrations still to apply; they run out of band (`make migrate`), never in a request."""

    def __init__(self, pending: list[str]) -> None:
        self.pending = pending
        super().__init__(f"the database schema is {len(pending)} migration(s) behind this app ({', '.join(pending)}); "
                         "run the migrations (`make migrate` or `python -m shared.db.migrate`) as a deploy step")
