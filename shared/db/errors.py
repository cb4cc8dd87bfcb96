"""Database faults the rest of the app understands, whatever the driver."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached, or cannot be used right now; callers answer 503.

    The message is for the log and may name files or servers; `reason` is a short phrase that is
    safe to show any caller ("the database file is missing", "the disk is full").
    """

    def __init__(self, message: str, reason: str = "cannot connect") -> None:
        super().__init__(message)
        self.reason = reason


class SchemaBehind(DatabaseUnavailable):
    """The database has migrations still to apply; they run out of band (`make migrate`), never in a request."""

    def __init__(self, pending: list[str]) -> None:
        self.pending = pending
        super().__init__(f"the database schema is {len(pending)} migration(s) behind this app ({', '.join(pending)}); "
                         "run the migrations (`make migrate` or `python -m shared.db.migrate`) as a deploy step",
                         reason="migrations pending")
