"""VIGIL_* variables of notifications: SMTP, SMS gateway, links, retries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from notifications.config import NotificationConfig, SmtpConfig
from vigil.settings import ConfigError, Settings


def test_defaults_send_nowhere_unexpected() -> None:
    config = Settings.from_env({}).notifications
    assert config == NotificationConfig()
    assert config.public_url == "http://127.0.0.1:8000"
    assert config.secret_key is None
    assert config.sms_gateway_url is None


def test_all_notification_variables_together() -> None:
    config = Settings.from_env(
        {
            "VIGIL_PUBLIC_URL": "https://vigil.example.com/",
            "VIGIL_SECRET_KEY": "k" * 32,
            "VIGIL_SMTP_HOST": "smtp.example.com",
            "VIGIL_SMTP_PORT": "587",
            "VIGIL_SMTP_USERNAME": "vigil",
            "VIGIL_SMTP_PASSWORD": "pw",
            "VIGIL_SMTP_FROM": "Vigil <vigil@example.com>",
            "VIGIL_SMTP_STARTTLS": "true",
            "VIGIL_SMS_GATEWAY_URL": "https://sms.example.com/send",
            "VIGIL_SMS_GATEWAY_TOKEN": "t0k",
            "VIGIL_NOTIFY_MAX_ATTEMPTS": "8",
            "VIGIL_NOTIFY_BACKOFF_SECONDS": "10",
        }
    ).notifications
    assert config == NotificationConfig(
        public_url="https://vigil.example.com",
        secret_key="k" * 32,
        smtp=SmtpConfig(
            host="smtp.example.com",
            port=587,
            username="vigil",
            password="pw",
            sender="Vigil <vigil@example.com>",
            starttls=True,
        ),
        sms_gateway_url="https://sms.example.com/send",
        sms_gateway_token="t0k",
        max_attempts=8,
        backoff=timedelta(seconds=10),
    )
    assert [config.backoff_after(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("VIGIL_PUBLIC_URL", "vigil.example.com"),
        ("VIGIL_SECRET_KEY", "short"),
        ("VIGIL_SMTP_PORT", "0"),
        ("VIGIL_SMTP_STARTTLS", "maybe"),
        ("VIGIL_SMS_GATEWAY_URL", "sms.example.com"),
        ("VIGIL_NOTIFY_MAX_ATTEMPTS", "0"),
        ("VIGIL_NOTIFY_BACKOFF_SECONDS", "zero"),
    ],
)
def test_bad_values_name_their_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({variable: value})
    assert raised.value.field == variable
