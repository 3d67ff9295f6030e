"""A store that is down or hung: every HTTP request's store work is bounded in time, and
a lost store met outside the handlers that classify errors themselves (GraphQL resolvers
and webhooks do) is answered with HTTP 503 and the usual JSON error body."""

from __future__ import annotations

import logging

import pymongo
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api.http_errors import error_response
from domain.errors import StoreUnavailableError

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5
"""What clients are told to wait: about the store's failover or restart."""


async def store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    where = getattr(request.scope.get("route"), "path", request.url.path)
    log.warning("store unavailable during %s: %s", where, exc)
    error = StoreUnavailableError("The database is unavailable; the request was not completed.")
    return error_response(error, headers={"Retry-After": str(RETRY_AFTER_S)})


class StoreDeadline:
    """Bounds the store work of each HTTP request (the driver's `pymongo.timeout`).

    The client's own timeouts do not cover everything: a store frozen after accepting
    a connection (SIGSTOP, a hung disk) held new connections in their handshake until it
    woke. Websockets are left alone: a subscription lives for hours.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self._app = app
        self._seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        with pymongo.timeout(self._seconds):
            await self._app(scope, receive, send)
