"""Every setting the app reads, validated once at start-up.

Settings come from the environment (Azure app settings, `local.settings.json` values, or the shell).
Each one is declared once in `SETTINGS` with its default and documentation; the README table and
`local.settings.example.json` are checked against this list by the tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from shared.http.authority import LOOPBACK_NAMES, parse_authority
from shared.metrics.prices import ModelPrices, parse_model_prices
from shared.reports.model_choice import ModelChoice, parse_model_choices

MAX_TOKEN_CONNECTION_AGE = 3300  # seconds: Entra access tokens for Azure SQL last at least an hour


class SettingsError(ValueError):
    """A setting has a value the app cannot run with. The message names the setting."""


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip().lower()
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    return parse


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f"must be a whole number from {low} to {high}") from None
        if not low <= number <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return number

    return parse


def _float_range(low: float, high: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(f"must be a number from {low} to {high}") from None
        if not low <= number <= high:
            raise ValueError(f"must be a number from {low} to {high}")
        return number

    return parse


def _auto_bool(value: str) -> bool | None:
    """`auto` (None: decided from other settings), or true/false."""
    return None if value.strip().lower() == "auto" else _bool(value)


def _text(value: str) -> str:
    return value.strip()


_IDENTIFIER = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]{0,127}\.)?[A-Za-z_][A-Za-z0-9_]{0,127}$")


def _identifier(value: str) -> str:
    """A table or view name, optionally schema-qualified; it is spliced into SQL, so it is strict."""
    value = value.strip()
    if not _IDENTIFIER.match(value):
        raise ValueError("must be a table or view name such as dbo.my_view (letters, digits, _)")
    return value


def _cron(value: str) -> str:
    """An NCRONTAB expression: six fields, seconds first, or an Azure `%SETTING%` reference."""
    value = value.strip()
    if len(value.split()) != 6:
        raise ValueError("must be an NCRONTAB expression with six fields, seconds first")
    return value


_QUEUE_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$")


def _queue_name(value: str) -> str:
    """An Azure Storage queue name: 3-63 lowercase letters, digits and single hyphens, not at either end."""
    value = value.strip()
    if not _QUEUE_NAME.match(value):
        raise ValueError("must be a storage queue name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit")
    return value


def _roles(value: str) -> tuple[str, ...]:
    roles = tuple(part.strip() for part in value.split(",") if part.strip())
    if not roles:
        raise ValueError("must name at least one role")
    return roles


def _auth_modes(value: str) -> tuple[str, ...]:
    modes = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    for mode in modes:
        if mode not in AUTH_MODES:
            raise ValueError(f"must be a comma-separated list of {', '.join(AUTH_MODES)}")
    return modes


def _origins(value: str) -> tuple[str, ...]:
    origins = tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
    for origin in origins:
        if not re.match(r"^https?://[^/\s]+$", origin) or parse_authority(origin.split("://", 1)[1]) is None:
            raise ValueError("must be a comma-separated list of origins such as https://admin.example.com")
    return origins


def _host_names(value: str) -> tuple[str, ...]:
    """Host names without ports, lower-cased as a Host header is compared; no wildcards."""
    names = []
    for part in filter(None, (part.strip() for part in value.split(","))):
        parsed = parse_authority(part)
        if parsed is None or parsed[1] is not None:
            raise ValueError("must be a comma-separated list of host names or IP addresses without ports, such as devbox.local")
        names.append(parsed[0])
    return tuple(names)


def _webhook_url(value: str) -> str:
    """Empty (alerts off), an https URL, or plain http to this machine only (tests, local relays)."""
    value = value.strip()
    if not value:
        return value
    match = re.match(r"^(https?)://([^/\s:]+|\[[^\]]+\])(:\d+)?(/\S*)?$", value)
    if not match:
        raise ValueError("must be an https URL such as https://hooks.slack.com/services/...")
    if match.group(1) == "http" and match.group(2).lower() not in LOOPBACK_NAMES:
        raise ValueError("must use https (plain http is allowed only to 127.0.0.1 or localhost)")
    return value


def _base_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if value and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
        raise ValueError("must be the admin site's URL such as https://admin.example.com")
    return value


_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.?[^@\s,;<>\"]*$")


def _email(value: str) -> str:
    value = value.strip()
    if value and not _EMAIL.match(value):
        raise ValueError("must be an email address such as jobs@example.com")
    return value


def _emails(value: str) -> tuple[str, ...]:
    addresses = tuple(part.strip() for part in value.split(",") if part.strip())
    for address in addresses:
        if not _EMAIL.match(address):
            raise ValueError("must be a comma-separated list of email addresses")
    return addresses


AUTH_MODES = ("platform", "token", "local")


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    parse: Callable[[str], Any]
    doc: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("DB_BACKEND", "sqlite", _choice("sqlite", "mssql"), "`sqlite` (embedded) or `mssql` (Azure SQL / SQL Server)."),
    Setting(
        "SQLITE_PATH",
        ".data/jobs.sqlite3",
        _text,
        "SQLite database file; start-up (or `make migrate`) creates it with its folder when missing, a running app never does.",
    ),
    Setting(
        "DEMO_DATA",
        "auto",
        _auto_bool,
        "Seed demo jobs into a SQLite database the local host created empty on this start. `auto`: only for the default SQLITE_PATH. Never with `mssql`.",
    ),
    Setting("DB_POOL_SIZE", "10", _int_range(1, 200), "Database connections a process keeps at most, idle or in use (every thread shares them)."),
    Setting(
        "DB_POOL_MAX_AGE_SECONDS",
        "1800",
        _int_range(30, 86400),
        "A connection older than this is closed instead of reused (below the Entra token lifetime of at least an hour).",
    ),
    Setting("DB_POOL_WAIT_SECONDS", "10", _float_range(0.1, 120), "How long a call waits for a free connection when all are in use before it answers 503."),
    Setting("SQL_CONNECTION_STRING", "", _text, "ODBC connection string for SQL Server (`DB_BACKEND=mssql`).", secret=True),
    Setting("SQL_USE_MANAGED_IDENTITY", "false", _bool, "Send an Entra token from azure-identity when the connection string has no credentials."),
    Setting("SOURCE_ROWS_TABLE", "exec_report_source_rows", _identifier, "Table or view the worker reads report input from (see the column contract)."),
    Setting(
        "AUTH_MODE",
        "",
        _auth_modes,
        "Comma-separated: `platform` (SWA / App Service principal), `token` (bearer), `local` (local host, loopback only). Empty: every admin call gets 401.",
    ),
    Setting("ADMIN_API_TOKEN", "", _text, "Bearer token accepted in `token` mode; at least 32 characters.", secret=True),
    Setting("ADMIN_ROLE", "admin", _roles, "Platform role(s) allowed to act (comma-separated)."),
    Setting("VIEWER_ROLE", "viewer", _roles, "Platform role(s) allowed to read only (comma-separated)."),
    Setting("ALLOWED_ORIGINS", "", _origins, "Extra origins (comma-separated, e.g. https://admin.example.com) allowed to send state-changing calls."),
    Setting(
        "TRUSTED_PROXY",
        "false",
        _bool,
        "A proxy in front of the app sets X-Forwarded-Host and X-Forwarded-Proto and strips clients' copies of them and of x-ms-client-principal. Only then does the same-origin check use them, and may the local host listen beyond loopback with AUTH_MODE=platform.",
    ),
    Setting(
        "LOCAL_ALLOWED_HOSTS",
        "",
        _host_names,
        "Host names (comma-separated, no ports) the local host answers to in local and platform mode besides localhost, 127.0.0.1 and [::1]; any other Host gets 421 (DNS rebinding).",
    ),
    Setting("WORKER_SCHEDULE", "0 */2 * * * *", _cron, "NCRONTAB schedule of the worker timer (six fields, seconds first)."),
    Setting("WORKER_CONCURRENCY", "4", _int_range(1, 64), "Jobs a worker pass runs at once (threads; model calls are I/O bound)."),
    Setting("WORKER_LEASE_SECONDS", "120", _int_range(10, 3600), "How long a claimed job is leased before it counts as lost; renewed while it runs."),
    Setting("WORKER_MAX_ATTEMPTS", "3", _int_range(1, 20), "Attempts a job gets before a transient fault fails it for good."),
    Setting("WORKER_TIMER_BUDGET_SECONDS", "240", _int_range(5, 3600), "A timer pass stops claiming after this; keep it under functionTimeout in host.json."),
    Setting("WORKER_HTTP_BUDGET_SECONDS", "60", _int_range(1, 200), "A manual pass over HTTP stops claiming after this; keep it well under 230 s."),
    Setting(
        "WORKER_GLOBAL_CONCURRENCY",
        "16",
        _int_range(1, 10000),
        "Jobs running at once across every instance and trigger; the claim refuses more, in the database.",
    ),
    Setting(
        "JOB_DISPATCH",
        "queue",
        _choice("queue", "timer"),
        "`queue`: a runnable job is put on JOB_QUEUE_NAME and the queue trigger starts it within seconds; the timer sweeps. `timer`: only the timer runs jobs.",
    ),
    Setting(
        "JOB_QUEUE_NAME",
        "report-jobs",
        _queue_name,
        "Storage queue (in the AzureWebJobsStorage account) that names each runnable job; `-poison` is added for messages that kept failing.",
    ),
    Setting(
        "REPORT_GENERATOR",
        "offline",
        _choice("offline", "azure_openai", "openai"),
        "`offline` (deterministic, no model), `azure_openai`, or `openai` (any OpenAI-compatible endpoint).",
    ),
    Setting("AZURE_OPENAI_ENDPOINT", "", _text, "Azure OpenAI resource endpoint, e.g. https://NAME.openai.azure.com."),
    Setting("AZURE_OPENAI_DEPLOYMENT", "", _text, "Azure OpenAI deployment name used for reports."),
    Setting("AZURE_OPENAI_API_VERSION", "2024-10-21", _text, "Azure OpenAI REST API version."),
    Setting("AZURE_OPENAI_API_KEY", "", _text, "API key; when empty, DefaultAzureCredential (managed identity) is used.", secret=True),
    Setting("OPENAI_BASE_URL", "", _text, "Base URL of an OpenAI-compatible endpoint (`REPORT_GENERATOR=openai`)."),
    Setting("OPENAI_API_KEY", "", _text, "API key for the OpenAI-compatible endpoint.", secret=True),
    Setting("OPENAI_MODEL", "", _text, "Model name for the OpenAI-compatible endpoint."),
    Setting("MODEL_TIMEOUT_SECONDS", "30", _float_range(0.1, 600), "Timeout of one model request."),
    Setting(
        "MODEL_PRICES",
        "{}",
        parse_model_prices,
        'Prices per 1M tokens by model, as JSON: `{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}` (USD). Costs show for priced models only.',
    ),
    Setting(
        "MODEL_CHOICES",
        "",
        parse_model_choices,
        "Generators and models a report may be re-run with from Details (comma-separated `generator:model`, e.g. `azure_openai:gpt-4o,openai:llama3.1,offline`); "
        "they use the endpoint and key above. Empty: only the configured generator.",
    ),
    Setting(
        "ALERT_WEBHOOK_URL",
        "",
        _webhook_url,
        "Incoming webhook (Slack, or a Teams Workflows webhook) told about failed jobs and high failure rates. Empty: off.",
        secret=True,
    ),
    Setting("ALERT_WEBHOOK_FORMAT", "slack", _choice("slack", "teams"), "`slack` (text + blocks) or `teams` (an Adaptive Card message)."),
    Setting(
        "ALERT_FAILURE_RATE_THRESHOLD",
        "0.2",
        _float_range(0, 1),
        "Alert when this share of the jobs finished in the window failed (0.2 = 20%); 0: no rate alerts.",
    ),
    Setting("ALERT_WINDOW_MINUTES", "60", _int_range(5, 1440), "The failure-rate window; at most one rate alert per window."),
    Setting("ALERT_MIN_JOBS", "10", _int_range(1, 1000000), "Finished jobs the window needs before its failure rate can alert."),
    Setting("SMTP_HOST", "", _text, "Mail server for failure emails. Empty: no email."),
    Setting("SMTP_PORT", "587", _int_range(1, 65535), "Mail server port (587 is submission with STARTTLS)."),
    Setting("SMTP_USERNAME", "", _text, "Mail server login; empty sends without logging in."),
    Setting("SMTP_PASSWORD", "", _text, "Mail server password.", secret=True),
    Setting("SMTP_STARTTLS", "true", _bool, "Upgrade the connection with STARTTLS and verify the server's certificate (required with a login)."),
    Setting("EMAIL_FROM", "", _email, "Sender address of failure emails."),
    Setting("EMAIL_TO", "", _emails, "Recipients of failure emails (comma-separated)."),
    Setting("EMAIL_DIGEST_MINUTES", "0", _int_range(0, 1440), "0: one email per failed job. N: at most one email per N minutes, listing the failures."),
    Setting("ADMIN_BASE_URL", "", _base_url, "The admin site's URL (e.g. https://admin.example.com); alerts link to ADMIN_BASE_URL/admin/jobs?job=ID."),
    Setting("NOTIFY_TIMEOUT_SECONDS", "10", _float_range(1, 60), "Timeout of one webhook post or mail server conversation."),
    Setting(
        "RETENTION_DAYS",
        "0",
        _int_range(0, 36500),
        "Delete finished jobs (with their snapshots and history) older than this many days, in batches after each timer pass. 0: keep everything.",
    ),
    Setting(
        "RETENTION_BATCH_SIZE",
        "500",
        _int_range(10, 1000),
        "Jobs deleted per retention transaction (at most 20 batches per timer pass); at most 1000, well below the ~5,000 row locks at which SQL Server takes a table lock.",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    db_backend: str
    sqlite_path: str
    demo_data: bool
    db_pool_size: int
    db_pool_max_age_seconds: int
    db_pool_wait_seconds: float
    sql_connection_string: str
    sql_use_managed_identity: bool
    source_rows_table: str
    auth_mode: tuple[str, ...]
    admin_api_token: str
    admin_role: tuple[str, ...]
    viewer_role: tuple[str, ...]
    allowed_origins: tuple[str, ...]
    trusted_proxy: bool
    local_allowed_hosts: tuple[str, ...]
    worker_schedule: str
    worker_concurrency: int
    worker_lease_seconds: int
    worker_max_attempts: int
    worker_timer_budget_seconds: int
    worker_http_budget_seconds: int
    worker_global_concurrency: int
    job_dispatch: str
    job_queue_name: str
    report_generator: str
    azure_openai_endpoint: str
    azure_openai_deployment: str
    azure_openai_api_version: str
    azure_openai_api_key: str
    openai_base_url: str
    openai_api_key: str
    openai_model: str
    model_timeout_seconds: float
    model_prices: ModelPrices
    model_choices: tuple[ModelChoice, ...]
    alert_webhook_url: str
    alert_webhook_format: str
    alert_failure_rate_threshold: float
    alert_window_minutes: int
    alert_min_jobs: int
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_starttls: bool
    email_from: str
    email_to: tuple[str, ...]
    email_digest_minutes: int
    admin_base_url: str
    notify_timeout_seconds: float
    retention_days: int
    retention_batch_size: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = env.get(setting.name, setting.default)
            try:
                values[setting.name.lower()] = setting.parse(raw)
            except ValueError as exc:
                shown = "(hidden)" if setting.secret else repr(raw)
                raise SettingsError(f"setting {setting.name}={shown} is invalid: {exc}") from None
        if values["demo_data"] is None:
            values["demo_data"] = values["db_backend"] == "sqlite" and values["sqlite_path"] == _BY_NAME["SQLITE_PATH"].default
        settings = cls(**values)
        settings._check_combinations()
        return settings

    def _check_combinations(self) -> None:
        if self.db_backend == "mssql" and not self.sql_connection_string:
            raise SettingsError("setting SQL_CONNECTION_STRING is required when DB_BACKEND=mssql")
        if self.db_backend == "mssql" and self.sql_use_managed_identity and self.db_pool_max_age_seconds > MAX_TOKEN_CONNECTION_AGE:
            raise SettingsError(
                f"setting DB_POOL_MAX_AGE_SECONDS must be at most {MAX_TOKEN_CONNECTION_AGE} with SQL_USE_MANAGED_IDENTITY: "
                "a connection must be recycled before the Entra access token it logged in with expires (after an hour)"
            )
        if self.db_backend == "mssql" and self.demo_data:
            raise SettingsError("setting DEMO_DATA=true needs DB_BACKEND=sqlite: demo data is never written to SQL Server")
        if "token" in self.auth_mode and len(self.admin_api_token) < 32:
            raise SettingsError("setting ADMIN_API_TOKEN must have at least 32 characters when AUTH_MODE includes token")
        if self.report_generator == "azure_openai":
            for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT"):
                if not getattr(self, name.lower()):
                    raise SettingsError(f"setting {name} is required when REPORT_GENERATOR=azure_openai")
        if self.report_generator == "openai":
            for name in ("OPENAI_BASE_URL", "OPENAI_MODEL"):
                if not getattr(self, name.lower()):
                    raise SettingsError(f"setting {name} is required when REPORT_GENERATOR=openai")
        for choice in self.model_choices:
            needs = {"azure_openai": ("AZURE_OPENAI_ENDPOINT",), "openai": ("OPENAI_BASE_URL",)}.get(choice.generator, ())
            for name in needs:
                if not getattr(self, name.lower()):
                    raise SettingsError(f"setting {name} is required for MODEL_CHOICES entry {choice.key}")
        if self.smtp_host:
            for name in ("EMAIL_FROM", "EMAIL_TO"):
                if not getattr(self, name.lower()):
                    raise SettingsError(f"setting {name} is required when SMTP_HOST is set")
        if self.smtp_username and not self.smtp_starttls:
            raise SettingsError("setting SMTP_STARTTLS must be true when SMTP_USERNAME is set, so the password never crosses the network in clear text")

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed, validated like the original."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        current.update(changes)
        settings = Settings(**current)
        settings._check_combinations()
        return settings


def setting(name: str) -> Setting:
    return _BY_NAME[name]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (Azure restarts the host when app settings change)."""
    return Settings.from_env()
