"""SQL Server / Azure SQL connector (pyodbc), with managed identity through azure-identity.

pyodbc needs unixODBC's libodbc.so.2 even to import, so it is imported here and only here, when
DB_BACKEND=mssql.
"""

from __future__ import annotations

import re
import struct
from datetime import UTC, datetime
from typing import Any

# Errors Azure SQL documents as transient (failover, throttling, resource limits) plus deadlock
# victim (1205) and a dropped connection (233, 10053, 10054).
TRANSIENT_ERROR_NUMBERS = frozenset(
    {4060, 40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929, 40540, 40143, 233, 1205, 10053, 10054, 10060, 4221}
)
SQL_COPT_SS_ACCESS_TOKEN = 1256
TOKEN_SCOPE = "https://database.windows.net/.default"  # noqa: S105 - an OAuth scope, not a secret
_ERROR_NUMBER = re.compile(r"\((\d{3,5})\)")
_CREDENTIAL_KEYS = ("uid=", "pwd=", "authentication=", "user id=", "password=")


def error_numbers(exc: BaseException) -> set[int]:
    """pyodbc puts native error numbers in the message as `(40613)`; collect every one."""
    return {int(number) for number in _ERROR_NUMBER.findall(" ".join(str(arg) for arg in getattr(exc, "args", ())))}


def has_credentials(connection_string: str) -> bool:
    lowered = connection_string.lower().replace(" =", "=")
    return any(key in lowered for key in _CREDENTIAL_KEYS)


def access_token_struct(token: str) -> bytes:
    """The ODBC driver wants the token as UTF-16-LE bytes prefixed by their length."""
    encoded = token.encode("utf-16-le")
    return struct.pack(f"<I{len(encoded)}s", len(encoded), encoded)


class MssqlConnector:
    dialect = "mssql"

    def __init__(self, connection_string: str, use_managed_identity: bool) -> None:
        self.connection_string = connection_string
        self.use_token = use_managed_identity and not has_credentials(connection_string)
        self._credential: Any = None

    def _token(self) -> bytes:
        if self._credential is None:
            from azure.identity import DefaultAzureCredential

            self._credential = DefaultAzureCredential()
        return access_token_struct(self._credential.get_token(TOKEN_SCOPE).token)

    def prepare(self) -> bool:
        """The server and database exist already; nothing is created at start-up."""
        return False

    def connect(self) -> Any:
        import pyodbc

        pyodbc.pooling = False  # shared.db.pool owns connections; the driver manager must not keep its own
        attrs = {SQL_COPT_SS_ACCESS_TOKEN: self._token()} if self.use_token else None
        conn = pyodbc.connect(self.connection_string, autocommit=True, timeout=5, attrs_before=attrs)
        conn.timeout = 30
        return conn

    def check(self, conn: Any, ping: bool) -> None:
        if ping:
            conn.cursor().execute("SELECT 1").fetchall()

    def begin(self, conn: Any, write: bool) -> None:
        conn.autocommit = False

    def finish(self, conn: Any) -> None:
        conn.autocommit = True  # statements outside run() (none today) must not open a transaction

    def adapt(self, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def is_transient(self, exc: BaseException) -> bool:
        return bool(error_numbers(exc) & TRANSIENT_ERROR_NUMBERS)

    def unavailable_reason(self, exc: BaseException) -> str | None:
        if self.is_transient(exc) or type(exc).__name__ in ("OperationalError", "InterfaceError"):
            return "cannot reach the database server"
        return None

    def run_script(self, conn: Any, script: str) -> None:
        cursor = conn.cursor()
        for batch in split_batches(script):
            cursor.execute(batch)


def split_batches(script: str) -> list[str]:
    """T-SQL scripts separate batches with a line holding only GO, as sqlcmd does."""
    batches = re.split(r"^\s*GO\s*$", script, flags=re.MULTILINE | re.IGNORECASE)
    return [batch.strip() for batch in batches if batch.strip()]
