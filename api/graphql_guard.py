"""What /graphql checks over HTTP before strawberry reads anything: the caller's rate and
the body's size. Refusals are GraphQL-shaped JSON, with the HTTP status that says why."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http_errors import error_headers, graphql_error_response
from api.rate_limit import RateLimits, presented_secret
from domain.errors import REQUEST_REFUSALS, RateLimitedError, RequestTooLargeError


class BodyTooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class GraphQLGuard:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, limits: RateLimits) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            if (secret := presented_secret(headers.get("authorization"))) is not None:
                self.limits.check(secret)
            body = await self._body(headers, receive)
        except RateLimitedError as exc:
            response = graphql_error_response(exc, 429, headers=error_headers(exc, 429))
            await response(scope, receive, send)
            return
        except BodyTooLarge as exc:
            await graphql_error_response(self._too_large(exc.size), 413)(scope, receive, send)
            return
        try:
            await self.app(scope, _replay(body, receive), send)
        except REQUEST_REFUSALS as exc:
            # Raised before execution (an unknown persisted-query hash): nothing was sent yet.
            await graphql_error_response(exc, 200)(scope, receive, send)

    async def _body(self, headers: Headers, receive: Receive) -> bytes:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise BodyTooLarge(int(declared))
        chunks: list[bytes] = []
        size = 0
        more = True
        # Counted while reading too: a chunked body declares no length.
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise BodyTooLarge(size)
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    def _too_large(self, size: int) -> RequestTooLargeError:
        return RequestTooLargeError(
            f"The request body is {size} bytes or more; the limit is {self.max_body_bytes} bytes.",
            suggestion="Send fewer alerts per call (at most 1,000) or smaller variables; "
            "the operator can raise VIGIL_MAX_REQUEST_BYTES.",
        )


def _replay(body: bytes, receive: Receive) -> Receive:
    """`receive` for the app below: the body already read, then the connection's own."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
