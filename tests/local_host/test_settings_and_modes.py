"""Start-up: local.settings.json, fail-closed auth when AUTH_MODE is set empty, a missing site config,
and settings the host refuses to start with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local_host.conftest import ECHO_APP, SITE_CONFIG, write_site
from tests.support.host import Host, run_host_until_exit, start_host


@pytest.fixture(scope="module")
def closed_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """AUTH_MODE set empty in local.settings.json, the shell overriding one of its values, and a site without a config."""
    root = tmp_path_factory.mktemp("closed_host")
    cwd = root / "cwd"
    cwd.mkdir()
    values = {"AUTH_MODE": "", "REPORT_GENERATOR": "not-a-generator", "WORKER_SCHEDULE": "0 0 3 * * *"}
    (cwd / "local.settings.json").write_text(json.dumps({"IsEncrypted": False, "Values": values}), encoding="utf-8")
    host = start_host(root, {"AUTH_MODE": None, "REPORT_GENERATOR": "offline", "STATIC_DIR": str(write_site(root, None))}, app_dir=cwd)
    yield host
    host.stop()


def test_an_empty_auth_mode_fails_closed_with_a_clear_message(closed_host: Host) -> None:
    reply = closed_host.request("GET", "/api/admin/jobs")
    assert reply.status == 401
    assert reply.json()["code"] == "auth_not_configured"
    assert "AUTH_MODE" in reply.json()["error"]
    assert closed_host.request("GET", "/.auth/me").json() == {"clientPrincipal": None}
    assert "AUTH_MODE is empty" in closed_host.log()


def test_local_settings_values_are_read_and_the_shell_wins(closed_host: Host) -> None:
    assert "0 0 3 * * *" in closed_host.log()  # WORKER_SCHEDULE from the file
    assert "report generator: offline: reports are a deterministic summary" in closed_host.log()  # not the file's bad value
    assert "not AI output" in closed_host.log()


def test_without_a_config_files_are_served_and_unknown_pages_get_a_404_page(closed_host: Host) -> None:
    assert closed_host.request("GET", "/docs/guide.html").body == b"<h1>guide</h1>"
    missing = closed_host.request("GET", "/no/such/page")
    assert missing.status == 404
    assert missing.headers["content-type"] == "text/html; charset=utf-8"
    assert b"Page not found" in missing.body


def test_without_a_config_host_made_pages_still_refuse_framing_sniffing_and_script(closed_host: Host) -> None:
    for path in ("/%2e%2e/secret", "/.auth/login/aad", "/no/such/page"):
        reply = closed_host.request("GET", path)
        assert reply.status in (400, 401, 404), path
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"] and "default-src 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["x-frame-options"] == "DENY" and reply.headers["x-content-type-options"] == "nosniff"


def test_role_rules_send_anonymous_visitors_to_sign_in(tmp_path: Path) -> None:
    host = start_host(tmp_path, {"AUTH_MODE": "token", "ADMIN_API_TOKEN": "x" * 40, "STATIC_DIR": str(write_site(tmp_path, SITE_CONFIG))})
    try:
        page = host.request("GET", "/admin/jobs")
        assert page.status == 302
        assert page.headers["location"] == "/.auth/login/aad?post_login_redirect_uri=.referrer"
        sign_in = host.request("GET", page.headers["location"], headers={"Referer": f"{host.base_url}/admin/jobs"})
        assert sign_in.status == 401 and b"no identity provider" in sign_in.body  # says why, instead of looping back
        assert host.request("GET", "/api/admin/jobs").status == 401
        assert host.request("GET", "/api/admin/jobs", headers={"Authorization": "Bearer " + "x" * 40}).status == 200
    finally:
        host.stop()


@pytest.mark.parametrize(
    ("env", "app_dir", "message"),
    [
        ({"PORT": "seventy"}, None, "setting PORT='seventy' is invalid"),
        ({"WORKER_SCHEDULE": "*/5 * * * *"}, None, "setting WORKER_SCHEDULE='*/5 * * * *' is invalid"),
        ({"ECHO_SCHEDULE": None}, ECHO_APP, "timer ticker: its schedule is %ECHO_SCHEDULE% but the app setting ECHO_SCHEDULE is not set"),
        ({"ECHO_SCHEDULE": "0 0 25 * * *"}, ECHO_APP, "timer ticker: '0 0 25 * * *' is not a valid NCRONTAB expression"),
    ],
)
def test_bad_settings_stop_the_start_with_a_message_that_names_them(tmp_path: Path, env: dict[str, str | None], app_dir: Path | None, message: str) -> None:
    code, output = run_host_until_exit(tmp_path, env, app_dir)
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_a_broken_site_config_stops_the_start(tmp_path: Path) -> None:
    site = write_site(tmp_path, None)
    (site / "staticwebapp.config.json").write_text('{"routes": [{"route": "/a", "statusCode": "301"}]}', encoding="utf-8")
    code, output = run_host_until_exit(tmp_path, {"STATIC_DIR": str(site)})
    assert code == 2
    assert "staticwebapp.config.json: routes[0].statusCode: must be an HTTP status code" in output


def test_a_route_prefix_other_than_api_stops_the_start(tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "host.json").write_text('{"version": "2.0", "extensions": {"http": {"routePrefix": "v1"}}}', encoding="utf-8")
    code, output = run_host_until_exit(tmp_path, {}, cwd)
    assert code == 2
    assert "routePrefix to 'v1'" in output
