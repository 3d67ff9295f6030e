"""How notifications go out: SMTP, the SMS gateway, links, retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    username: str | None = None
    password: str | None = None
    sender: str = "vigil@localhost"
    starttls: bool = False


@dataclass(frozen=True, slots=True)
class NotificationConfig:
    public_url: str = "http://127.0.0.1:8000"
    """Where people reach this Vigil: links in pages are built on it."""
    secret_key: str | None = None
    """Signs acknowledge links; None: a key generated once and kept in the store."""
    smtp: SmtpConfig = SmtpConfig()
    sms_gateway_url: str | None = None
    sms_gateway_token: str | None = None
    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=30)
    """Wait before the second attempt; doubled before each one after."""
    timeout: timedelta = timedelta(seconds=10)
    """Per HTTP request or SMTP conversation."""
    ack_link_ttl: timedelta = timedelta(hours=24)

    def backoff_after(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt (1, 2, ...)."""
        return self.backoff * float(2 ** (attempts - 1))
