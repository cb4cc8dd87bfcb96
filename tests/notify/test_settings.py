"""Notification settings refuse what would leak a secret or silently send nothing."""

from __future__ import annotations

import pytest

from shared.config import Settings, SettingsError


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"ALERT_WEBHOOK_URL": "http://hooks.example.com/services/x"}, "ALERT_WEBHOOK_URL"),
        ({"ALERT_WEBHOOK_URL": "file:///etc/passwd"}, "ALERT_WEBHOOK_URL"),
        ({"ALERT_WEBHOOK_FORMAT": "discord"}, "ALERT_WEBHOOK_FORMAT"),
        ({"ALERT_FAILURE_RATE_THRESHOLD": "1.5"}, "ALERT_FAILURE_RATE_THRESHOLD"),
        ({"SMTP_HOST": "mail.example.com", "EMAIL_FROM": "jobs@example.com"}, "EMAIL_TO"),
        ({"SMTP_HOST": "mail.example.com", "EMAIL_TO": "a@example.com"}, "EMAIL_FROM"),
        ({"EMAIL_TO": "a@example.com, not an address"}, "EMAIL_TO"),
        ({"SMTP_USERNAME": "u", "SMTP_STARTTLS": "false"}, "SMTP_STARTTLS"),
        ({"ADMIN_BASE_URL": "admin.example.com"}, "ADMIN_BASE_URL"),
    ],
)
def test_a_bad_notification_setting_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


def test_the_webhook_url_is_a_secret_and_never_echoed() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"ALERT_WEBHOOK_URL": "http://hooks.example.com/services/T0/B0/Secret-Token"})
    assert "Secret-Token" not in str(raised.value)


def test_https_webhooks_and_loopback_http_are_accepted() -> None:
    assert Settings.from_env({"ALERT_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/x"}).alert_webhook_url
    assert Settings.from_env({"ALERT_WEBHOOK_URL": "http://127.0.0.1:8080/hook"}).alert_webhook_url
    settings = Settings.from_env({"SMTP_HOST": "mail.example.com", "EMAIL_FROM": "jobs@example.com", "EMAIL_TO": "a@example.com, b@example.com"})
    assert settings.email_to == ("a@example.com", "b@example.com") and settings.smtp_starttls
