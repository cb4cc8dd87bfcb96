"""SQL Server / Azure SQL connector (pyodbc), with managed identity through azure-identity.

pyodbc needs unixODBC's libodbc.so.2 even to import, so it is imported here and only here, when
DB_BACKEND=mssql.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from shared.db.retry import AZURE_SQL, time_left

if TYPE_CHECKING:
    from shared.db.preflight import Preflight
    from shared.db.queries import Query

# Error numbers Azure SQL documents as transient (learn.microsoft.com/azure/azure-sql/database/troubleshoot-common-connectivity-issues
# and SqlClient's built-in list, learn.microsoft.com/sql/connect/ado-net/internal-retry-logic-providers-sqlclient):
# 40613 database not currently available, 40197 service error (failover), 40501 service busy,
# 49918/49919/49920 not enough resources, 10928/10929 resource limits, 4060 cannot open database
# (during a failover or serverless resume), 40540/40143 failover in progress, 233 and 64 connection
# dropped, 4221 read-only replica catching up, 1205 deadlock victim, 1222 lock timeout.
TRANSIENT_ERROR_NUMBERS = frozenset({4060, 40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929, 40540, 40143, 233, 64, 1205, 1222, 4221})
# What ODBC reports without a server error number. SqlClient's -2 (timeout) is HYT00 here, for both a
# login and a query timeout; HYT01 is a connection timeout; 08S01 a broken link; 08001 no connection.
TRANSIENT_SQLSTATES = frozenset({"08S01", "08001", "HYT00", "HYT01", "40001"})
# Socket errors in the driver's "TCP Provider: Error code 0x68" text. Linux: 104 ECONNRESET,
# 32 EPIPE, 110 ETIMEDOUT, 111 ECONNREFUSED, 113 EHOSTUNREACH; Windows: 10053, 10054, 10060, 10061.
TRANSIENT_SOCKET_ERRORS = frozenset({104, 32, 110, 111, 113, 10053, 10054, 10060, 10061})
# The driver reconnects a broken idle connection itself (connection resiliency), and a login gets 30 s
# rather than 5: a failover or a serverless resume takes longer than that to answer the first time
# (learn.microsoft.com/sql/connect/odbc/connection-resiliency). Set only where the string does not.
CONNECTION_DEFAULTS = {"ConnectRetryCount": "3", "ConnectRetryInterval": "10"}
LOGIN_TIMEOUT_SECONDS = 30
COMMAND_TIMEOUT_SECONDS = 30
SQL_COPT_SS_ACCESS_TOKEN = 1256
TOKEN_SCOPE = "https://database.windows.net/.default"  # noqa: S105 - an OAuth scope, not a secret
# The native error number pyodbc appends to each diagnostic record: "... text. (40613) (SQLDriverConnect)",
# further records joined by "; ". Only a number right before the ODBC function's name, a "; " or the
# end counts: "The duplicate key value is (64)." is a row's value, not error 64.
_ERROR_NUMBER = re.compile(r"\((\d{1,6})\)(?=\s*(?:\(SQL\w+\)|;|$))")
_SOCKET_ERROR = re.compile(r"Error code 0x([0-9A-Fa-f]+)")
_CREDENTIAL_KEYS = ("uid=", "pwd=", "authentication=", "user id=", "password=")
# Set on each new connection, whatever the login's defaults: the options indexed views demand of
# every session that changes their tables (learn.microsoft.com/sql/relational-databases/views/create-indexed-views),
# and NOCOUNT ON, so that a batch's first result is its own SELECT and never a row count that an
# enabled trigger's statements replaced. Statements whose count matters end with SELECT @@ROWCOUNT.
SESSION_OPTIONS = (
    "SET ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL, QUOTED_IDENTIFIER ON; SET NUMERIC_ROUNDABORT OFF; SET NOCOUNT ON; "
    # A command timeout is an attention the server treats as a cancel, not an error: without
    # XACT_ABORT the open transaction (and its locks) outlives it until the client rolls back.
    # Microsoft's SET XACT_ABORT page recommends ON for explicit transactions.
    "SET XACT_ABORT ON;"
)
SQL_SS_TIMESTAMPOFFSET = -155  # DATETIMEOFFSET, which pyodbc cannot read without an output converter
# ODBC SQL types for parameters (sql.h): declared up front so a NULL needs no SQLDescribeParam round
# trip, and so a VARCHAR column is compared with a VARCHAR parameter (an index seek) rather than
# converted to NVARCHAR row by row (a scan).
SQL_VARCHAR, SQL_WVARCHAR, SQL_BIGINT, SQL_BIT, SQL_DOUBLE, SQL_TYPE_DATE, SQL_TYPE_TIMESTAMP = 12, -9, -5, -7, 8, 91, 93
NVARCHAR_MAX_CHARS, VARCHAR_MAX_CHARS = 4000, 8000
InputSize = tuple[int, int, int]
_USER_TABLE = {name: re.compile(rf"\bdbo\.{name}\b") for name in ("exec_report_jobs", "exec_report_snapshots")}
# Parameters that stand for a column under another name.
_PARAMETER_COLUMNS = {"before_id": "job_id", "after_job_id": "job_id", "key_prefix": "scope_key"}
# CREATE [UNIQUE] [NONCLUSTERED] INDEX on a table, with no WITH clause of its own: built online where
# the edition allows. The first unique clustered index of a view cannot be built online.
_PLAIN_INDEX = re.compile(
    r"^(\s*CREATE\s+(?:UNIQUE\s+)?(?:NONCLUSTERED\s+)?INDEX\s+\w+\s+ON\s+[\w.]+\s*\([^)]*\)(?:\s*INCLUDE\s*\([^)]*\))?)[ \t]*$", re.IGNORECASE | re.MULTILINE
)


def error_numbers(exc: BaseException) -> set[int]:
    """pyodbc puts native error numbers in the message as `(40613)`; collect every one."""
    return {int(number) for number in _ERROR_NUMBER.findall(" ".join(str(arg) for arg in getattr(exc, "args", ())))}


def socket_errors(exc: BaseException) -> set[int]:
    return {int(code, 16) for code in _SOCKET_ERROR.findall(" ".join(str(arg) for arg in getattr(exc, "args", ())))}


def sqlstate(exc: BaseException) -> str | None:
    """pyodbc's first argument is the SQLSTATE, e.g. ('08S01', '[08S01] [Microsoft]...')."""
    args = getattr(exc, "args", ())
    return args[0] if args and isinstance(args[0], str) and len(args[0]) == 5 else None


def with_resiliency(connection_string: str) -> str:
    present = {part.split("=", 1)[0].strip().lower() for part in connection_string.split(";") if "=" in part}
    extra = [f"{key}={value}" for key, value in CONNECTION_DEFAULTS.items() if key.lower() not in present]
    return ";".join([connection_string.rstrip(";"), *extra]) if extra else connection_string


def has_credentials(connection_string: str) -> bool:
    lowered = connection_string.lower().replace(" =", "=")
    return any(key in lowered for key in _CREDENTIAL_KEYS)


def access_token_struct(token: str) -> bytes:
    """The ODBC driver wants the token as UTF-16-LE bytes prefixed by their length."""
    encoded = token.encode("utf-16-le")
    return struct.pack(f"<I{len(encoded)}s", len(encoded), encoded)


def utf16_units(text: str) -> int:
    """NVARCHAR lengths count UTF-16 code units: a character outside the BMP (an emoji) is two."""
    return len(text.encode("utf-16-le")) // 2


def text_input_size(value: str | None, varchar: bool) -> InputSize:
    longest = VARCHAR_MAX_CHARS if varchar else NVARCHAR_MAX_CHARS
    length = 0 if value is None else (len(value.encode("utf-8")) if varchar else utf16_units(value))
    return (SQL_VARCHAR if varchar else SQL_WVARCHAR, longest if length <= longest else 0, 0)  # 0: (MAX)


def input_size(value: Any, varchar: bool) -> InputSize:
    """The ODBC type of one parameter: fixed sizes per type, so plans are reused across values."""
    if isinstance(value, bool):
        return (SQL_BIT, 1, 0)
    if isinstance(value, int):
        return (SQL_BIGINT, 19, 0)
    if isinstance(value, float):
        return (SQL_DOUBLE, 15, 0)
    if isinstance(value, datetime):
        return (SQL_TYPE_TIMESTAMP, 27, 7)  # DATETIME2(7): a value with microseconds is never refused as truncated
    if isinstance(value, date):
        return (SQL_TYPE_DATE, 10, 0)
    return text_input_size(value if isinstance(value, str) else None, varchar)


def read_datetimeoffset(raw: bytes | None) -> datetime | None:
    """DATETIMEOFFSET as the driver sends it (SQL_SS_TIMESTAMPOFFSET_STRUCT), as an aware UTC datetime."""
    if raw is None:
        return None
    year, month, day, hour, minute, second, nanos, offset_hours, offset_minutes = struct.unpack("<6hI2h", raw)
    local = datetime(year, month, day, hour, minute, second, nanos // 1000, timezone(timedelta(hours=offset_hours, minutes=offset_minutes)))
    return local.astimezone(UTC)


def within_budget(limit: int) -> int:
    """A driver timeout in whole seconds: `limit`, or what is left of the caller's budget if less."""
    return max(1, min(limit, math.ceil(time_left())))


def online_index_builds(batch: str) -> str:
    return _PLAIN_INDEX.sub(r"\1 WITH (ONLINE = ON)", batch)


class MssqlConnector:
    dialect = "mssql"
    migrates_at_startup = False  # out of band: `make migrate`, a deploy step (shared/db/migrate.py)
    retry_policy = AZURE_SQL  # 5, 10, 20, 40 s, on a fresh connection
    ambiguous_commits = True  # the link can drop after the server committed and before it said so
    migrates_per_batch = True  # shared/db/migrate.py: _apply_batch_by_batch says why

    def __init__(self, connection_string: str, use_managed_identity: bool) -> None:
        self.connection_string = with_resiliency(connection_string)
        self.use_token = use_managed_identity and not has_credentials(connection_string)
        self._credential: Any = None
        self._varchar_params: dict[str, frozenset[str]] = {}  # query name -> its parameters sent as VARCHAR
        self._varchar_columns: dict[str, frozenset[str]] = {}  # user table -> its VARCHAR columns

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
        # Within the caller's budget (an API request gives up after about 12 s): a login that takes
        # the full 30 s would otherwise outlast it, whatever the retry delays between attempts.
        conn = pyodbc.connect(self.connection_string, autocommit=True, timeout=within_budget(LOGIN_TIMEOUT_SECONDS), attrs_before=attrs)
        conn.timeout = COMMAND_TIMEOUT_SECONDS
        conn.add_output_converter(SQL_SS_TIMESTAMPOFFSET, read_datetimeoffset)
        conn.execute(SESSION_OPTIONS)
        return conn

    def check(self, conn: Any, ping: bool) -> None:
        if ping:
            conn.cursor().execute("SELECT 1").fetchall()

    def begin(self, conn: Any, write: bool) -> None:
        conn.timeout = within_budget(COMMAND_TIMEOUT_SECONDS)  # per statement, no longer than the caller can wait
        conn.autocommit = False

    def finish(self, conn: Any) -> None:
        conn.autocommit = True  # statements outside run() (none today) must not open a transaction

    def adapt_to(self, preflight: Preflight) -> None:
        """Send VARCHAR parameters for the site's VARCHAR columns, in the statements on their table."""
        self._varchar_columns = {table: frozenset(columns) for table, columns in preflight.varchar_columns.items()}
        self._varchar_params = {}

    def bind(self, cursor: Any, query: Query, values: Sequence[Any]) -> None:
        varchar = self._varchar_params.get(query.name)
        if varchar is None:
            varchar = self._varchar_params[query.name] = self._varchar_for(query)
        cursor.setinputsizes([input_size(value, name in varchar) for name, value in zip(query.params, values, strict=True)])

    def _varchar_for(self, query: Query) -> frozenset[str]:
        columns = {column for table, names in self._varchar_columns.items() if _USER_TABLE[table].search(query.text) for column in names}
        return frozenset(name for name in query.params if _PARAMETER_COLUMNS.get(name, name) in columns)

    def adapt(self, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def is_transient(self, exc: BaseException) -> bool:
        return bool(error_numbers(exc) & TRANSIENT_ERROR_NUMBERS or socket_errors(exc) & TRANSIENT_SOCKET_ERRORS or sqlstate(exc) in TRANSIENT_SQLSTATES)

    def unavailable_reason(self, exc: BaseException) -> str | None:
        if self.is_transient(exc) or type(exc).__name__ in ("OperationalError", "InterfaceError"):
            return "cannot reach the database server"
        return None

    def migration_batches(self, script: str, preflight: Preflight) -> list[str]:
        batches = split_batches(script)
        return [online_index_builds(batch) for batch in batches] if preflight.online_index_ops else batches

    @contextmanager
    def exclusive_session(self, lock_sql: str) -> Iterator[None]:
        """Hold a session-owned lock (`lock_sql`) for the block, on a connection of its own and with
        no command timeout: closing the connection releases it, and so does the process dying."""
        conn = self.connect()
        try:
            conn.timeout = 0
            cursor = conn.cursor()
            cursor.execute(lock_sql)
            while cursor.description is None and cursor.nextset():
                pass
            row = cursor.fetchone() if cursor.description else None
            if row is None or row[0] != "Exclusive":
                raise RuntimeError(f"the migration lock was not granted (lock mode {row[0] if row else None!r})")
            yield
        finally:
            conn.close()

    def after_migrations(self) -> None:
        """Nothing to tidy: the server manages its own log."""

    def run_script(self, conn: Any, script: str) -> None:
        """DDL (migrations, out of band) with no command timeout: an index build on millions of rows
        takes what it takes, rather than rolling back at 30 s to start over."""
        cursor = conn.cursor()
        timeout, conn.timeout = conn.timeout, 0
        try:
            for batch in split_batches(script):
                cursor.execute(batch)
        finally:
            conn.timeout = timeout


def split_batches(script: str) -> list[str]:
    """T-SQL scripts separate batches with a line holding only GO, as sqlcmd does."""
    batches = re.split(r"^\s*GO\s*$", script, flags=re.MULTILINE | re.IGNORECASE)
    return [batch.strip() for batch in batches if batch.strip()]
