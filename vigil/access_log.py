"""Keep secrets that travel in URL paths out of the access log."""

from __future__ import annotations

import logging
import re

# Integration keys in webhook URLs, heartbeat ping and calendar feed secrets are credentials;
# acknowledge links and status page confirm/unsubscribe links carry signed tokens that act.
_SECRET_IN_PATH = re.compile(
    r"^(/(?:webhooks/[a-z0-9-]+|heartbeat|calendar|ack"
    r"|status/[^/?]+/(?:confirm|unsubscribe)))/[^/?]+"
)


def redact_path(path: str) -> str:
    return _SECRET_IN_PATH.sub(r"\1/<redacted>", path)


class RedactSecrets(logging.Filter):
    """For uvicorn's access logger: its record args are (client, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True
