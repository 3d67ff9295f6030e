"""The GraphQL endpoint (HTTP and websockets) and how callers authenticate to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from api.auth import Authenticator
from api.container import Container
from api.context import Context
from api.rate_limit import RateLimits, presented_secret
from api.request_scope import current_request_id, current_scope
from api.schema.live_delivery import LiveOperation, current_operation
from domain.errors import PersistedQueryNotFoundError, VigilError

if TYPE_CHECKING:
    # strawberry's own request adapter type (from its cross_web dependency).
    from cross_web import AsyncHTTPRequestAdapter


class LiveTransport(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, telling each operation's resolvers how to reach their
    subscriber directly (api/schema/live_delivery.py)."""

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        assert isinstance(self.websocket, ASGIWebSocketAdapter)
        current_operation.set(
            LiveOperation(
                id=operation.id,
                query=operation.query,
                variables=operation.variables,
                operation_name=operation.operation_name,
                websocket=self.websocket.ws,
            )
        )
        await super().run_operation(operation)


class VigilGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = LiveTransport
    rate_limits: RateLimits | None = None
    """Set by the app: websocket connections are limited here, HTTP in api/graphql_guard.py."""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        container: Container = request.app.state.container
        authenticator: Authenticator = request.app.state.authenticator
        context = Context(container=container, authenticator=authenticator)
        if isinstance(request, Request):
            # Websockets authenticate later, in connection_init (on_ws_connect).
            header = request.headers.get("authorization")
            try:
                context.authenticate(await authenticator.from_header(header), header)
            except VigilError as exc:
                context.reject(exc)
        return context

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and data.query is None:
            data.query = _persisted_query(data.extensions)
        return data

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("authorization", params.get("Authorization"))
        # A connection costs one request of its credential; its operations are not counted.
        secret = presented_secret(header) if isinstance(header, str) else None
        if self.rate_limits is not None and secret is not None:
            try:
                self.rate_limits.check(secret)
            except VigilError as exc:
                raise ConnectionRejectionError(_rejection(exc)) from exc
        if header is None:
            # Anonymous: only public fields (the status page subscription) will answer;
            # every other resolver asks for the principal and raises UNAUTHENTICATED.
            return None
        credentials = header if isinstance(header, str) else None
        try:
            context.authenticate(await context.authenticator.from_header(credentials), credentials)
        except VigilError as exc:
            raise ConnectionRejectionError(_rejection(exc)) from exc
        return None


def _rejection(error: VigilError) -> dict[str, object]:
    payload: dict[str, object] = {"message": error.message, **error.extensions}
    if request_id := current_request_id():
        payload["requestId"] = request_id
    return payload


def _persisted_query(extensions: dict[str, object] | None) -> str | None:
    """The document an APQ-style request names by `extensions.persistedQuery.sha256Hash`."""
    persisted = (extensions or {}).get("persistedQuery")
    hash_ = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if not isinstance(hash_, str):
        return None  # strawberry answers the missing query as it always does
    scope = current_scope()
    allow_list = scope.policy.persisted if scope else None
    document = allow_list.document_for(hash_) if allow_list else None
    if document is None:
        raise PersistedQueryNotFoundError(
            "PersistedQueryNotFound: this server has no operation with that sha256Hash.",
            suggestion="Send the full document in 'query'; hashes are known only for the "
            "operations of VIGIL_PERSISTED_OPERATIONS.",
        )
    return document
