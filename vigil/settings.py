"""All configuration, read once from VIGIL_* environment variables and validated."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from correlation.time_window import DEFAULT_WINDOW
from domain.errors import ValidationError
from notifications.config import NotificationConfig, SmtpConfig

E = TypeVar("E", bound=StrEnum)


class CorrelationEngineKind(StrEnum):
    WINDOW = "window"
    """Same service, within the correlation window of event time."""
    LEARNED = "learned"
    """The learned engine of `correlation/`, with the services' topology."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    TEXT = "text"
    """One readable line per record, for people at a terminal."""
    JSON = "json"
    """One JSON object per line, for log collectors."""


class ConfigError(ValidationError):
    """A VIGIL_* variable has a value Vigil cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    mongodb_uri: str | None = None
    """None: run the embedded store under data_dir."""
    database: str = "vigil"
    data_dir: Path = Path("var")
    broadcast_url: str = "memory://"
    admin_token: str | None = None
    correlation_window: timedelta = DEFAULT_WINDOW
    correlation_engine: CorrelationEngineKind = CorrelationEngineKind.LEARNED
    correlation_retrain_hours: int = 24
    """How often the correlation model is retrained from reviewed incidents."""
    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    worker_interval_s: int = 5
    """How often heartbeats and alert timeouts are checked."""
    escalation_tick_s: float = 1.0
    """How often due escalation steps are looked for: how late a step may fire."""
    store_timeout_s: float = 3.0
    """How long a request waits for a store that is down (finding it, connecting, waiting
    for a free connection) before it fails with STORE_UNAVAILABLE."""
    store_socket_timeout_s: float = 10.0
    """How long the store work of one HTTP request may take in all, and one store reply
    to background work: a hung store fails the requests in flight after this. Keep it
    above the slowest request (analytics over a long range)."""
    ws_compression: bool = False
    """permessage-deflate on websockets: off, since live events are small and compressing
    each one for each subscriber was a visible share of a fan-out (as Socket.IO decided)."""
    notifications: NotificationConfig = field(default_factory=NotificationConfig)
    log_format: LogFormat | None = None
    """None: by environment (see `logs_as`)."""
    max_query_cost: int = 50_000
    """Estimated fields resolved by one GraphQL operation (list sizes times nesting)."""
    max_request_bytes: int = 2 * 1024 * 1024
    """The largest /graphql request body: 1,000 alerts in variables fit with room."""
    persisted_operations: Path | None = None
    """A JSON file of sha256 -> document, or a directory of .graphql files: only those run."""
    api_rate_per_s: float = 100.0
    """Requests per second per API token (token bucket); 0 turns the limit off."""
    api_rate_burst: int = 500
    ingest_rate_per_s: float = 200.0
    """Requests per second per integration key (token bucket); 0 turns the limit off."""
    ingest_rate_burst: int = 2000
    metrics_token: str | None = None
    """When set, /metrics wants 'Authorization: Bearer <token>'."""

    @property
    def logs_as(self) -> LogFormat:
        """JSON lines in production (for collectors), text for people otherwise."""
        if self.log_format is not None:
            return self.log_format
        return LogFormat.JSON if self.environment is Environment.PRODUCTION else LogFormat.TEXT

    @property
    def replicated(self) -> bool:
        """Several replicas share the store: only Redis carries events between processes,
        so a Redis broadcast URL is what says the deployment may run more than one."""
        return self.broadcast_url.startswith(("redis://", "rediss://"))

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def get(name: str) -> str | None:
            value = env.get(f"VIGIL_{name}")
            return value if value not in (None, "") else None

        defaults = cls()
        admin_token = get("ADMIN_TOKEN")
        if admin_token is not None and len(admin_token) < 16:
            raise ConfigError(
                "VIGIL_ADMIN_TOKEN must be at least 16 characters long.",
                suggestion="Generate one with: python -c 'import secrets; "
                'print("vgl_" + secrets.token_urlsafe(32))\'',
                field="VIGIL_ADMIN_TOKEN",
            )
        database = get("DATABASE") or defaults.database
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", database):
            raise ConfigError(
                f"VIGIL_DATABASE must be letters, digits and underscores, got {database!r}.",
                field="VIGIL_DATABASE",
            )
        broadcast_url = get("BROADCAST_URL") or defaults.broadcast_url
        if not broadcast_url.startswith(("memory://", "redis://", "rediss://")):
            raise ConfigError(
                "VIGIL_BROADCAST_URL must start with memory:// or redis://, "
                f"got {broadcast_url!r}.",
                field="VIGIL_BROADCAST_URL",
            )
        environment = _choice(get("ENV"), "VIGIL_ENV", Environment, defaults.environment)
        metrics_token = get("METRICS_TOKEN")
        if metrics_token is not None and len(metrics_token) < 16:
            raise ConfigError(
                "VIGIL_METRICS_TOKEN must be at least 16 characters long.",
                suggestion="Generate one: python -c 'import secrets; print(secrets.token_hex(24))'",
                field="VIGIL_METRICS_TOKEN",
            )
        uri = get("MONGODB_URI")
        if uri is not None and not uri.startswith(("mongodb://", "mongodb+srv://")):
            raise ConfigError(
                "VIGIL_MONGODB_URI must be a mongodb:// or mongodb+srv:// URI.",
                field="VIGIL_MONGODB_URI",
            )
        return cls(
            host=get("HOST") or defaults.host,
            port=_integer(get("PORT"), "VIGIL_PORT", defaults.port, low=0, high=65535),
            mongodb_uri=uri,
            database=database,
            data_dir=Path(get("DATA_DIR") or defaults.data_dir),
            broadcast_url=broadcast_url,
            admin_token=admin_token,
            correlation_window=timedelta(
                seconds=_integer(
                    get("CORRELATION_WINDOW_SECONDS"),
                    "VIGIL_CORRELATION_WINDOW_SECONDS",
                    int(defaults.correlation_window.total_seconds()),
                    low=1,
                    high=86400,
                )
            ),
            correlation_engine=_choice(
                get("CORRELATION_ENGINE"),
                "VIGIL_CORRELATION_ENGINE",
                CorrelationEngineKind,
                defaults.correlation_engine,
            ),
            correlation_retrain_hours=_integer(
                get("CORRELATION_RETRAIN_HOURS"),
                "VIGIL_CORRELATION_RETRAIN_HOURS",
                defaults.correlation_retrain_hours,
                low=1,
                high=24 * 365,
            ),
            environment=environment,
            log_level=_log_level(get("LOG_LEVEL") or defaults.log_level),
            worker_interval_s=_integer(
                get("WORKER_INTERVAL_SECONDS"),
                "VIGIL_WORKER_INTERVAL_SECONDS",
                defaults.worker_interval_s,
                low=1,
                high=300,
            ),
            escalation_tick_s=_seconds(
                get("ESCALATION_TICK_SECONDS"),
                "VIGIL_ESCALATION_TICK_SECONDS",
                defaults.escalation_tick_s,
                low=0.1,
                high=60,
            ),
            store_timeout_s=_seconds(
                get("STORE_TIMEOUT_SECONDS"),
                "VIGIL_STORE_TIMEOUT_SECONDS",
                defaults.store_timeout_s,
                low=0.1,
                high=120,
            ),
            store_socket_timeout_s=_seconds(
                get("STORE_SOCKET_TIMEOUT_SECONDS"),
                "VIGIL_STORE_SOCKET_TIMEOUT_SECONDS",
                defaults.store_socket_timeout_s,
                low=0.5,
                high=3600,
            ),
            ws_compression=_boolean(
                get("WS_COMPRESSION"), "VIGIL_WS_COMPRESSION", defaults.ws_compression
            ),
            notifications=_notifications(get),
            log_format=_optional_choice(get("LOG_FORMAT"), "VIGIL_LOG_FORMAT", LogFormat),
            max_query_cost=_integer(
                get("MAX_QUERY_COST"),
                "VIGIL_MAX_QUERY_COST",
                defaults.max_query_cost,
                low=100,
                high=10_000_000,
            ),
            max_request_bytes=_integer(
                get("MAX_REQUEST_BYTES"),
                "VIGIL_MAX_REQUEST_BYTES",
                defaults.max_request_bytes,
                low=1024,
                high=64 * 1024 * 1024,
            ),
            persisted_operations=_existing_path(
                get("PERSISTED_OPERATIONS"), "VIGIL_PERSISTED_OPERATIONS"
            ),
            api_rate_per_s=_seconds(
                get("API_RATE_PER_SECOND"),
                "VIGIL_API_RATE_PER_SECOND",
                defaults.api_rate_per_s,
                low=0,
                high=100_000,
                unit="number of requests per second",
            ),
            api_rate_burst=_integer(
                get("API_RATE_BURST"),
                "VIGIL_API_RATE_BURST",
                defaults.api_rate_burst,
                low=1,
                high=1_000_000,
            ),
            ingest_rate_per_s=_seconds(
                get("INGEST_RATE_PER_SECOND"),
                "VIGIL_INGEST_RATE_PER_SECOND",
                defaults.ingest_rate_per_s,
                low=0,
                high=100_000,
                unit="number of requests per second",
            ),
            ingest_rate_burst=_integer(
                get("INGEST_RATE_BURST"),
                "VIGIL_INGEST_RATE_BURST",
                defaults.ingest_rate_burst,
                low=1,
                high=1_000_000,
            ),
            metrics_token=metrics_token,
        )


def _boolean(raw: str | None, name: str, default: bool) -> bool:
    if raw is None:
        return default
    value = raw.lower()
    if value not in {"true", "false", "1", "0", "yes", "no"}:
        raise ConfigError(f"{name} must be true or false, got {raw!r}.", field=name)
    return value in {"true", "1", "yes"}


def _integer(raw: str | None, name: str, default: int, *, low: int, high: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.", field=name) from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}.", field=name)
    return value


def _seconds(
    raw: str | None,
    name: str,
    default: float,
    *,
    low: float,
    high: float,
    unit: str = "number of seconds",
) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a {unit}, got {raw!r}.", field=name) from None
    if value != value:  # NaN passes every comparison below
        raise ConfigError(f"{name} must be a {unit}, got {raw!r}.", field=name)
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, got {raw}.", field=name)
    return value


def _existing_path(raw: str | None, name: str) -> Path | None:
    if raw is None:
        return None
    path = Path(raw)
    if not path.exists():
        raise ConfigError(
            f"{name} names {raw!r}, which does not exist.",
            suggestion="Point it at a JSON file of sha256 -> document, or at a directory "
            "of .graphql files (such as frontend-schema/operations).",
            field=name,
        )
    return path


def _optional_choice(raw: str | None, name: str, kind: type[E]) -> E | None:
    return None if raw is None else _choice(raw, name, kind, next(iter(kind)))


def _choice(raw: str | None, name: str, kind: type[E], default: E) -> E:
    if raw is None:
        return default
    try:
        return kind(raw.lower())
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise ConfigError(f"{name} must be one of {allowed}, got {raw!r}.", field=name) from None


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(
            f"VIGIL_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {raw!r}.",
            field="VIGIL_LOG_LEVEL",
        )
    return level


def _notifications(get: Callable[[str], str | None]) -> NotificationConfig:
    defaults = NotificationConfig()
    public_url = (get("PUBLIC_URL") or defaults.public_url).rstrip("/")
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", public_url):
        raise ConfigError(
            f"VIGIL_PUBLIC_URL must be an http(s) URL, got {public_url!r}.",
            suggestion="Use the address people open Vigil at, such as https://vigil.example.com.",
            field="VIGIL_PUBLIC_URL",
        )
    secret_key = get("SECRET_KEY")
    if secret_key is not None and len(secret_key) < 32:
        raise ConfigError(
            "VIGIL_SECRET_KEY must be at least 32 characters long.",
            suggestion="Generate one: python -c 'import secrets; print(secrets.token_hex(32))'",
            field="VIGIL_SECRET_KEY",
        )
    sms_url = get("SMS_GATEWAY_URL")
    if sms_url is not None and not re.fullmatch(r"https?://\S+", sms_url):
        raise ConfigError(
            f"VIGIL_SMS_GATEWAY_URL must be an http(s) URL, got {sms_url!r}.",
            field="VIGIL_SMS_GATEWAY_URL",
        )
    smtp = defaults.smtp
    return NotificationConfig(
        public_url=public_url,
        secret_key=secret_key,
        smtp=SmtpConfig(
            host=get("SMTP_HOST") or smtp.host,
            port=_integer(get("SMTP_PORT"), "VIGIL_SMTP_PORT", smtp.port, low=1, high=65535),
            username=get("SMTP_USERNAME"),
            password=get("SMTP_PASSWORD"),
            sender=get("SMTP_FROM") or smtp.sender,
            starttls=_boolean(get("SMTP_STARTTLS"), "VIGIL_SMTP_STARTTLS", smtp.starttls),
        ),
        sms_gateway_url=sms_url,
        sms_gateway_token=get("SMS_GATEWAY_TOKEN"),
        max_attempts=_integer(
            get("NOTIFY_MAX_ATTEMPTS"),
            "VIGIL_NOTIFY_MAX_ATTEMPTS",
            defaults.max_attempts,
            low=1,
            high=20,
        ),
        backoff=timedelta(
            seconds=_integer(
                get("NOTIFY_BACKOFF_SECONDS"),
                "VIGIL_NOTIFY_BACKOFF_SECONDS",
                int(defaults.backoff.total_seconds()),
                low=1,
                high=3600,
            )
        ),
    )
