"""Database faults the rest of the app understands, whatever the driver."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached, or cannot be used right now; callers answer 503.

    The message is for the log and may name files or servers; `reason` is a short phrase that is
    safe to show any caller ("the database file is missing", "the disk is full").
    """

    def __init__(self, message: str, reason: str = "cannot connect", retry_after: float | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry_after = retry_after  # seconds worth waiting before trying again, when known


class AmbiguousCommit(DatabaseUnavailable):
    """The connection failed while a write was committing: it may or may not have been applied, so it
    is not retried blindly. Callers read back what they wrote (or treat the call as failed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="the last change may not have been saved", retry_after=5.0)


class SchemaBehind(DatabaseUnavailable):
    """The database has migrations still to apply; they run out of band (`make migrate`), never in a request."""

    def __init__(self, pending: list[str]) -> None:
        self.pending = pending
        super().__init__(
            f"the database schema is {len(pending)} migration(s) behind this app ({', '.join(pending)}); "
            "run the migrations (`make migrate` or `python -m shared.db.migrate`) as a deploy step",
            reason="migrations pending",
        )
