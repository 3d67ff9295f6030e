"""Each request's id and the API policy it runs under, for everything below the ASGI edge.

The id comes from a sane incoming X-Request-ID (so a proxy's id follows the request) or is
made here; it is sent back as X-Request-ID, put on every log record (vigil/logs.py), in
GraphQL errors' `extensions.requestId` and in HTTP JSON error bodies. A websocket keeps the
id of its handshake for its whole life.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import HTTP_REQUESTS

if TYPE_CHECKING:
    from api.persisted import PersistedOperations

_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "x-request-id"
_HEADER_BYTES = HEADER.encode()


@dataclass(frozen=True, slots=True)
class OperationPolicy:
    """What GraphQL operations may do in this deployment (api/schema/limits.py)."""

    introspection: bool
    max_cost: int
    persisted: PersistedOperations | None


@dataclass(frozen=True, slots=True)
class RequestScope:
    request_id: str
    policy: OperationPolicy


_current: ContextVar[RequestScope | None] = ContextVar("vigil_request_scope", default=None)


def current_scope() -> RequestScope | None:
    return _current.get()


def current_request_id() -> str | None:
    scope = _current.get()
    return scope.request_id if scope else None


def request_id_from(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The sane X-Request-ID among ASGI `headers`, or a new id."""
    for name, value in headers:
        if name == _HEADER_BYTES:
            incoming = value.decode("latin-1")
            # Anything else could forge log lines or carry a secret into them.
            if _SANE_ID.fullmatch(incoming):
                return incoming
            break
    return uuid.uuid4().hex


class RequestScopeMiddleware:
    """Outermost middleware: the request id and policy, and the request counted by route."""

    def __init__(self, app: ASGIApp, policy: OperationPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope["headers"])
        token = _current.set(RequestScope(request_id, self.policy))
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] in ("http.response.start", "websocket.accept"):
                status = message.get("status", 101)
                message["headers"] = [
                    *message.get("headers", []),
                    (_HEADER_BYTES, request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _current.reset(token)
            if scope["type"] == "http":
                _count(scope, status)


def _count(scope: Scope, status: int) -> None:
    route = getattr(scope.get("route"), "path", None) or "unmatched"
    HTTP_REQUESTS.labels(route, scope["method"], str(status)).inc()
