"""The GraphQL endpoint (HTTP and websockets) and how callers authenticate to it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from api.auth import Authenticator
from api.container import Container
from api.context import Context
from api.schema.live_delivery import LiveOperation, current_operation
from domain.errors import VigilError


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

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        container: Container = request.app.state.container
        authenticator: Authenticator = request.app.state.authenticator
        context = Context(container=container, authenticator=authenticator)
        if isinstance(request, Request):
            # Websockets authenticate later, in connection_init (on_ws_connect).
            try:
                context.authenticate(
                    await authenticator.from_header(request.headers.get("authorization"))
                )
            except VigilError as exc:
                context.reject(exc)
        return context

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("authorization", params.get("Authorization"))
        if header is None:
            # Anonymous: only public fields (the status page subscription) will answer;
            # every other resolver asks for the principal and raises UNAUTHENTICATED.
            return None
        try:
            context.authenticate(
                await context.authenticator.from_header(header if isinstance(header, str) else None)
            )
        except VigilError as exc:
            raise ConnectionRejectionError({"message": exc.message, **exc.extensions}) from exc
        return None
