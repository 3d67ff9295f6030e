"""Logging for `vigil serve`: text for people, JSON lines for collectors, each record with
the id of the request it belongs to (api/request_scope.py).

Secrets stay out: records never carry request headers or bodies, connection_init payloads
are not logged, and URL paths that hold a key have it redacted (vigil/access_log.py).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from api.request_scope import current_request_id
from vigil.access_log import RedactSecrets
from vigil.settings import LogFormat, Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")
_URL_LOGGERS = ("httpx", "httpcore")


class RequestIdFilter(logging.Filter):
    """For handlers: the request id on every record, '-' outside requests."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "-")
        if request_id != "-":
            entry["requestId"] = request_id
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            # uvicorn's (client, method, path, http version, status): fields to query on.
            entry |= {"client": args[0], "method": args[1], "path": args[2], "status": args[4]}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """One handler on the root logger, uvicorn's loggers sent through it; returns it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if settings.logs_as is LogFormat.JSON else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level)
    for name in _UVICORN:
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
        logger.setLevel(settings.log_level)
    for name in _URL_LOGGERS:
        # They log whole outgoing URLs, and a notification receiver's URL may be a secret
        # (a chat webhook's path, a gateway's token in the query).
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in access.filters):
        access.addFilter(RedactSecrets())
    return handler
