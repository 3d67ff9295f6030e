"""The GraphQL endpoint (HTTP and websockets) and how callers authenticate to it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from api.auth import Authenticator
from api.container import Container
from api.context import Context
from domain.errors import VigilError


class VigilGraphQL(GraphQL[Context, None]):
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
        header = params.get("authorization") or params.get("Authorization")
        try:
            context.authenticate(
                await context.authenticator.from_header(header if isinstance(header, str) else None)
            )
        except VigilError as exc:
            raise ConnectionRejectionError({"message": exc.message, **exc.extensions}) from exc
        return None
