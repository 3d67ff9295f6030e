from __future__ import annotations

import logging

import pytest

from vigil.access_log import RedactSecrets, redact_path


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/webhooks/alertmanager/vik_secret", "/webhooks/alertmanager/<redacted>"),
        ("/webhooks/grafana/vik_secret?x=1", "/webhooks/grafana/<redacted>?x=1"),
        ("/heartbeat/vhb_secret", "/heartbeat/<redacted>"),
        ("/ack/signed.token", "/ack/<redacted>"),
        ("/status/shop/confirm/signed.token", "/status/shop/confirm/<redacted>"),
        ("/status/shop/unsubscribe/signed.token?x=1", "/status/shop/unsubscribe/<redacted>?x=1"),
        ("/status/shop", "/status/shop"),
        ("/webhooks/generic", "/webhooks/generic"),
        ("/graphql", "/graphql"),
    ],
)
def test_secrets_in_paths_are_redacted(path: str, logged: str) -> None:
    assert redact_path(path) == logged


def test_filter_rewrites_uvicorn_access_records() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/heartbeat/vhb_secret", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert "vhb_secret" not in record.getMessage()
