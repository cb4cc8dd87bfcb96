"""Database faults the rest of the app understands, whatever the driver."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or stayed busy past the retry budget; callers answer 503."""
