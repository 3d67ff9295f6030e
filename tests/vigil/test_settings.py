"""Configuration from VIGIL_* environment variables."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from domain.errors import ErrorCode, ValidationError
from vigil.settings import ConfigError, Environment, LogFormat, Settings

GOOD_TOKEN = "vgl_0123456789abcdef"


def config_error(env: dict[str, str]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    return caught.value


def test_defaults_without_any_variable() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.mongodb_uri is None
    assert settings.database == "vigil"
    assert settings.data_dir == Path("var")
    assert settings.broadcast_url == "memory://"
    assert settings.admin_token is None
    assert settings.correlation_window == timedelta(minutes=5)
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.log_level == "INFO"


def test_empty_variables_mean_the_default() -> None:
    names = [
        "HOST", "PORT", "MONGODB_URI", "DATABASE", "DATA_DIR", "BROADCAST_URL",
        "ADMIN_TOKEN", "CORRELATION_WINDOW_SECONDS", "ENV", "LOG_LEVEL",
    ]  # fmt: skip
    assert Settings.from_env({f"VIGIL_{name}": "" for name in names}) == Settings()


def test_variables_without_the_vigil_prefix_are_ignored() -> None:
    assert Settings.from_env({"PORT": "1", "HOST": "0.0.0.0", "DATABASE": "x"}) == Settings()


@pytest.mark.parametrize(
    ("variable", "value", "attribute", "expected"),
    [
        ("VIGIL_HOST", "0.0.0.0", "host", "0.0.0.0"),
        ("VIGIL_PORT", "9090", "port", 9090),
        ("VIGIL_PORT", "0", "port", 0),
        ("VIGIL_PORT", "65535", "port", 65535),
        ("VIGIL_MONGODB_URI", "mongodb://db:27017", "mongodb_uri", "mongodb://db:27017"),
        (
            "VIGIL_MONGODB_URI",
            "mongodb+srv://user:pw@cluster.example.net",
            "mongodb_uri",
            "mongodb+srv://user:pw@cluster.example.net",
        ),
        ("VIGIL_DATABASE", "vigil_test_2", "database", "vigil_test_2"),
        ("VIGIL_DATA_DIR", "/srv/vigil", "data_dir", Path("/srv/vigil")),
        (
            "VIGIL_BROADCAST_URL",
            "redis://localhost:6379",
            "broadcast_url",
            "redis://localhost:6379",
        ),
        ("VIGIL_BROADCAST_URL", "rediss://cache:6380/1", "broadcast_url", "rediss://cache:6380/1"),
        ("VIGIL_ADMIN_TOKEN", GOOD_TOKEN, "admin_token", GOOD_TOKEN),
        ("VIGIL_CORRELATION_WINDOW_SECONDS", "90", "correlation_window", timedelta(seconds=90)),
        ("VIGIL_CORRELATION_WINDOW_SECONDS", "1", "correlation_window", timedelta(seconds=1)),
        ("VIGIL_ENV", "production", "environment", Environment.PRODUCTION),
        ("VIGIL_ENV", "Production", "environment", Environment.PRODUCTION),
        ("VIGIL_ENV", "development", "environment", Environment.DEVELOPMENT),
        ("VIGIL_LOG_LEVEL", "debug", "log_level", "DEBUG"),
        ("VIGIL_LOG_LEVEL", "WARNING", "log_level", "WARNING"),
        ("VIGIL_LOG_LEVEL", "error", "log_level", "ERROR"),
        ("VIGIL_WS_COMPRESSION", "true", "ws_compression", True),
        ("VIGIL_WS_COMPRESSION", "YES", "ws_compression", True),
        ("VIGIL_WS_COMPRESSION", "0", "ws_compression", False),
    ],
)
def test_each_variable_is_parsed(
    variable: str, value: str, attribute: str, expected: object
) -> None:
    settings = Settings.from_env({variable: value})
    assert getattr(settings, attribute) == expected
    others = {name: getattr(Settings(), name) for name in Settings.__slots__ if name != attribute}
    assert {name: getattr(settings, name) for name in others} == others


def test_all_variables_together() -> None:
    settings = Settings.from_env(
        {
            "VIGIL_HOST": "0.0.0.0",
            "VIGIL_PORT": "8443",
            "VIGIL_MONGODB_URI": "mongodb://db/",
            "VIGIL_DATABASE": "prod",
            "VIGIL_DATA_DIR": "/data",
            "VIGIL_BROADCAST_URL": "redis://r:6379",
            "VIGIL_ADMIN_TOKEN": GOOD_TOKEN,
            "VIGIL_CORRELATION_WINDOW_SECONDS": "600",
            "VIGIL_ENV": "production",
            "VIGIL_LOG_LEVEL": "warning",
        }
    )
    assert settings == Settings(
        host="0.0.0.0",
        port=8443,
        mongodb_uri="mongodb://db/",
        database="prod",
        data_dir=Path("/data"),
        broadcast_url="redis://r:6379",
        admin_token=GOOD_TOKEN,
        correlation_window=timedelta(minutes=10),
        environment=Environment.PRODUCTION,
        log_level="WARNING",
    )


@pytest.mark.parametrize(
    ("variable", "value", "in_message"),
    [
        ("VIGIL_PORT", "http", "whole number"),
        ("VIGIL_PORT", "80.5", "whole number"),
        ("VIGIL_PORT", "-1", "between 0 and 65535"),
        ("VIGIL_PORT", "65536", "between 0 and 65535"),
        ("VIGIL_PORT", "100000", "between 0 and 65535"),
        ("VIGIL_ADMIN_TOKEN", "short", "at least 16"),
        ("VIGIL_ADMIN_TOKEN", "x" * 15, "at least 16"),
        ("VIGIL_BROADCAST_URL", "http://localhost", "memory:// or redis://"),
        ("VIGIL_BROADCAST_URL", "postgres://db", "memory:// or redis://"),
        ("VIGIL_DATABASE", "vigil-prod", "letters, digits and underscores"),
        ("VIGIL_DATABASE", "1vigil", "letters, digits and underscores"),
        ("VIGIL_DATABASE", "vigil.prod", "letters, digits and underscores"),
        ("VIGIL_DATABASE", "v" * 64, "letters, digits and underscores"),
        ("VIGIL_ENV", "staging", "development, production"),
        ("VIGIL_LOG_LEVEL", "verbose", "DEBUG, INFO, WARNING or ERROR"),
        ("VIGIL_LOG_LEVEL", "CRITICAL", "DEBUG, INFO, WARNING or ERROR"),
        ("VIGIL_MONGODB_URI", "postgres://db", "mongodb://"),
        ("VIGIL_CORRELATION_WINDOW_SECONDS", "0", "between 1 and 86400"),
        ("VIGIL_CORRELATION_WINDOW_SECONDS", "86401", "between 1 and 86400"),
        ("VIGIL_CORRELATION_WINDOW_SECONDS", "5m", "whole number"),
        ("VIGIL_WS_COMPRESSION", "maybe", "true or false"),
        ("VIGIL_LOG_FORMAT", "xml", "text, json"),
        ("VIGIL_MAX_QUERY_COST", "99", "between 100 and 10000000"),
        ("VIGIL_MAX_QUERY_COST", "lots", "whole number"),
        ("VIGIL_MAX_REQUEST_BYTES", "1023", "between 1024"),
        ("VIGIL_API_RATE_PER_SECOND", "-1", "between 0 and 100000"),
        ("VIGIL_API_RATE_PER_SECOND", "fast", "number of requests per second"),
        ("VIGIL_INGEST_RATE_PER_SECOND", "nan", "number of requests per second"),
        ("VIGIL_API_RATE_BURST", "0", "between 1 and 1000000"),
        ("VIGIL_INGEST_RATE_BURST", "1.5", "whole number"),
        ("VIGIL_PERSISTED_OPERATIONS", "/nonexistent/ops.json", "does not exist"),
    ],
)
def test_invalid_values_raise_config_error_naming_the_variable(
    variable: str, value: str, in_message: str
) -> None:
    error = config_error({variable: value})
    assert error.field == variable
    assert variable in error.message
    assert in_message in error.message
    assert error.code is ErrorCode.VALIDATION
    assert error.extensions["field"] == variable
    assert isinstance(error, ValidationError)


def test_short_admin_token_error_does_not_echo_the_token() -> None:
    error = config_error({"VIGIL_ADMIN_TOKEN": "secret-123"})
    assert "secret-123" not in error.message
    assert "secrets.token_urlsafe" in error.suggestion


def test_admin_token_of_16_characters_is_accepted() -> None:
    assert Settings.from_env({"VIGIL_ADMIN_TOKEN": "x" * 16}).admin_token == "x" * 16


def test_database_name_of_63_characters_is_accepted() -> None:
    assert Settings.from_env({"VIGIL_DATABASE": "v" * 63}).database == "v" * 63


# --- API hardening (issue 7) -----------------------------------------------------------------


def test_hardening_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.log_format is None
    assert settings.logs_as is LogFormat.TEXT
    assert settings.max_query_cost == 50_000
    assert settings.max_request_bytes == 2 * 1024 * 1024
    assert settings.persisted_operations is None
    assert (settings.api_rate_per_s, settings.api_rate_burst) == (100.0, 500)
    assert (settings.ingest_rate_per_s, settings.ingest_rate_burst) == (200.0, 2000)
    assert settings.metrics_token is None


def test_production_logs_json_unless_told_otherwise() -> None:
    assert Settings.from_env({"VIGIL_ENV": "production"}).logs_as is LogFormat.JSON
    production_text = Settings.from_env({"VIGIL_ENV": "production", "VIGIL_LOG_FORMAT": "TEXT"})
    assert production_text.logs_as is LogFormat.TEXT
    assert Settings.from_env({"VIGIL_LOG_FORMAT": "json"}).logs_as is LogFormat.JSON


def test_hardening_variables_are_parsed(tmp_path: Path) -> None:
    operations = tmp_path / "operations.json"
    operations.write_text("{}")
    settings = Settings.from_env(
        {
            "VIGIL_MAX_QUERY_COST": "1000",
            "VIGIL_MAX_REQUEST_BYTES": "65536",
            "VIGIL_PERSISTED_OPERATIONS": str(operations),
            "VIGIL_API_RATE_PER_SECOND": "2.5",
            "VIGIL_API_RATE_BURST": "10",
            "VIGIL_INGEST_RATE_PER_SECOND": "0",
            "VIGIL_INGEST_RATE_BURST": "1",
            "VIGIL_METRICS_TOKEN": "m" * 16,
        }
    )
    assert settings.max_query_cost == 1000
    assert settings.max_request_bytes == 65536
    assert settings.persisted_operations == operations
    assert (settings.api_rate_per_s, settings.api_rate_burst) == (2.5, 10)
    assert (settings.ingest_rate_per_s, settings.ingest_rate_burst) == (0.0, 1)
    assert settings.metrics_token == "m" * 16


def test_short_metrics_token_is_refused_without_echoing_it() -> None:
    error = config_error({"VIGIL_METRICS_TOKEN": "short-secret"})
    assert error.field == "VIGIL_METRICS_TOKEN"
    assert "short-secret" not in error.message
    assert "secrets.token_hex" in error.suggestion
