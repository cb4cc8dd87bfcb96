"""Settings: read once, validated, named clearly when wrong, and documented everywhere they appear."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from shared.config import SETTINGS, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_run_locally_on_sqlite_with_auth_closed() -> None:
    settings = Settings.from_env({})
    assert settings.db_backend == "sqlite" and settings.sqlite_path == ".data/jobs.sqlite3"
    assert settings.auth_mode == () and settings.worker_schedule == "0 */2 * * * *"
    assert settings.report_generator == "offline"


def test_every_declared_setting_is_a_field() -> None:
    assert [setting.name.lower() for setting in SETTINGS] == [field.name for field in fields(Settings)]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DB_BACKEND": "postgres"}, "DB_BACKEND"),
        ({"DB_BACKEND": "mssql"}, "SQL_CONNECTION_STRING"),
        ({"AUTH_MODE": "magic"}, "AUTH_MODE"),
        ({"AUTH_MODE": "token", "ADMIN_API_TOKEN": "short"}, "ADMIN_API_TOKEN"),
        ({"WORKER_CONCURRENCY": "0"}, "WORKER_CONCURRENCY"),
        ({"WORKER_CONCURRENCY": "many"}, "WORKER_CONCURRENCY"),
        ({"WORKER_SCHEDULE": "*/2 * * * *"}, "WORKER_SCHEDULE"),
        ({"SQL_USE_MANAGED_IDENTITY": "maybe"}, "SQL_USE_MANAGED_IDENTITY"),
        ({"SOURCE_ROWS_TABLE": "rows; DROP TABLE x"}, "SOURCE_ROWS_TABLE"),
        ({"REPORT_GENERATOR": "azure_openai"}, "AZURE_OPENAI_ENDPOINT"),
        ({"REPORT_GENERATOR": "openai", "OPENAI_BASE_URL": "http://127.0.0.1:1"}, "OPENAI_MODEL"),
        ({"MODEL_TIMEOUT_SECONDS": "-3"}, "MODEL_TIMEOUT_SECONDS"),
        ({"ALLOWED_ORIGINS": "evil"}, "ALLOWED_ORIGINS"),
        ({"ALLOWED_ORIGINS": "https://admin.example.com:99999"}, "ALLOWED_ORIGINS"),
        ({"ALLOWED_ORIGINS": "https://user@admin.example.com"}, "ALLOWED_ORIGINS"),
        ({"LOCAL_ALLOWED_HOSTS": "devbox.local:7071"}, "LOCAL_ALLOWED_HOSTS"),
        ({"LOCAL_ALLOWED_HOSTS": "*"}, "LOCAL_ALLOWED_HOSTS"),
        ({"LOCAL_ALLOWED_HOSTS": "dev box"}, "LOCAL_ALLOWED_HOSTS"),
        ({"TRUSTED_PROXY": "sometimes"}, "TRUSTED_PROXY"),
    ],
)
def test_a_bad_value_names_the_setting_and_what_is_allowed(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


def test_local_allowed_hosts_are_compared_as_a_host_header_spells_them() -> None:
    settings = Settings.from_env({"LOCAL_ALLOWED_HOSTS": " DevBox.Local , 192.168.1.20,[FE80::1], "})
    assert settings.local_allowed_hosts == ("devbox.local", "192.168.1.20", "[fe80::1]")
    assert Settings.from_env({}).local_allowed_hosts == () and Settings.from_env({}).trusted_proxy is False


def test_a_secret_is_never_echoed_in_the_error() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"AUTH_MODE": "token", "ADMIN_API_TOKEN": "hunter2"})
    assert "hunter2" not in str(raised.value)


def test_local_settings_example_lists_every_setting_with_its_default() -> None:
    values = json.loads((ROOT / "local.settings.example.json").read_text())["Values"]
    for setting in SETTINGS:
        assert setting.name in values, setting.name
    assert values["WORKER_SCHEDULE"] == "0 */2 * * * *"


def test_the_readme_table_lists_every_setting_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text()
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| `?([^|`]*)`? \|", readme, flags=re.MULTILINE))
    for setting in SETTINGS:
        assert setting.name in rows, f"README settings table misses {setting.name}"
        assert rows[setting.name].strip() == (setting.default or "(empty)"), setting.name


def test_connections_must_not_outlive_the_access_token_they_logged_in_with() -> None:
    env = {"DB_BACKEND": "mssql", "SQL_CONNECTION_STRING": "Driver=x", "SQL_USE_MANAGED_IDENTITY": "true"}
    with pytest.raises(SettingsError, match="DB_POOL_MAX_AGE_SECONDS must be at most 3300"):
        Settings.from_env({**env, "DB_POOL_MAX_AGE_SECONDS": "7200"})
    assert Settings.from_env({**env, "DB_POOL_MAX_AGE_SECONDS": "3300"}).db_pool_max_age_seconds == 3300


def test_demo_data_is_on_only_for_the_default_sqlite_file_and_never_for_sql_server() -> None:
    assert Settings.from_env({}).demo_data is True
    assert Settings.from_env({"SQLITE_PATH": "/srv/jobs.sqlite3"}).demo_data is False
    assert Settings.from_env({"SQLITE_PATH": "/srv/jobs.sqlite3", "DEMO_DATA": "true"}).demo_data is True
    sql_server = {"DB_BACKEND": "mssql", "SQL_CONNECTION_STRING": "Driver={ODBC Driver 18 for SQL Server};Server=x"}
    assert Settings.from_env(sql_server).demo_data is False
    with pytest.raises(SettingsError, match="DEMO_DATA"):
        Settings.from_env({**sql_server, "DEMO_DATA": "true"})
