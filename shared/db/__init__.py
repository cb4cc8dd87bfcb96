"""Data access: one `Database` API over SQLite and SQL Server, with each dialect's SQL in its own files."""

from shared.db.database import Database, Transaction
from shared.db.errors import DatabaseUnavailable

__all__ = ["Database", "DatabaseUnavailable", "Transaction"]
