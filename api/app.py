"""The Starlette application and its lifespan: store, broadcaster, hub, use cases."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator

from pymongo.errors import ConnectionFailure
from pymongo.monitoring import CommandListener
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.ack_link import ack_link_routes
from api.analytics import analytics_routes
from api.auth import Authenticator
from api.calendar import calendar_routes
from api.container import Container
from api.graphql_guard import GraphQLGuard
from api.graphql_view import VigilGraphQL
from api.health import healthz
from api.heartbeat import ping
from api.metrics_route import metrics_endpoint
from api.persisted import load as load_persisted
from api.postmortem_export import postmortem_routes
from api.rate_limit import RateLimits
from api.request_scope import OperationPolicy, RequestScopeMiddleware
from api.runtime import start_runtime
from api.schema.schema import schema
from api.status_page import status_page_routes
from api.store_unavailable import StoreDeadline, store_unavailable
from api.warroom import warroom_routes
from api.webhooks import webhook_routes
from vigil.settings import Environment, Settings

log = logging.getLogger(__name__)

GC_THRESHOLD = 20_000
"""Allocations, net of frees, between two collections of the youngest generation."""


def create_app(
    settings: Settings, *, command_listeners: list[CommandListener] | None = None
) -> Starlette:
    """The ASGI app. `command_listeners` observe every store command (tests count them)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            runtime = await start_runtime(settings, stack, command_listeners=command_listeners)
            await _ensure_admin(runtime.container, settings)
            app.state.container = runtime.container
            app.state.authenticator = Authenticator(runtime.container.users)
            app.state.runtime = runtime
            # What start-up built (the schema, libraries, the correlation model) lives as
            # long as the process: keep the collector from walking it again and again.
            gc.freeze()
            # A request allocates thousands of objects that reference counting frees; at
            # the default threshold (700) the collector ran about 500 times for 20,000
            # ingested alerts, 0.2 s of the server's 3.5 s of CPU (bench/README.md).
            gc.set_threshold(GC_THRESHOLD)
            yield

    graphql = VigilGraphQL(
        schema,
        graphql_ide="graphiql" if settings.environment is Environment.DEVELOPMENT else None,
        # The legacy `graphql-ws` protocol belongs to the abandoned subscriptions-transport-ws.
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
    )
    graphql.rate_limits = limits = RateLimits(settings)
    policy = OperationPolicy(
        # Production answers only what the app asks: no schema browsing, no GraphiQL.
        introspection=settings.environment is Environment.DEVELOPMENT,
        max_cost=settings.max_query_cost,
        persisted=(
            load_persisted(settings.persisted_operations)
            if settings.persisted_operations is not None
            else None
        ),
    )
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/metrics", metrics_endpoint),
            Route("/heartbeat/{secret}", ping, methods=["GET", "POST"]),
            Route(
                "/graphql",
                GraphQLGuard(graphql, max_body_bytes=settings.max_request_bytes, limits=limits),
            ),
            WebSocketRoute("/graphql", graphql),
            *webhook_routes(),
            *calendar_routes(),
            *ack_link_routes(),
            *analytics_routes(),
            *postmortem_routes(),
            *warroom_routes(),
            *status_page_routes(),
        ],
        middleware=[
            Middleware(RequestScopeMiddleware, policy=policy),
            Middleware(StoreDeadline, seconds=settings.store_socket_timeout_s),
        ],
        exception_handlers={ConnectionFailure: store_unavailable},
        lifespan=lifespan,
    )
    app.state.rate_limits = limits
    app.state.metrics_token = settings.metrics_token
    return app


async def _ensure_admin(container: Container, settings: Settings) -> None:
    if settings.admin_token is not None:
        await container.users.ensure_admin_token(settings.admin_token)
        return
    secret = await container.users.bootstrap_if_empty()
    if secret is not None:
        # Shown once, like every secret; stderr so it is not mixed with structured logs.
        print(
            "\n  Vigil created the first admin user. Its API token (shown once):\n\n"
            f"    {secret}\n\n"
            "  Send it as 'Authorization: Bearer <token>'. Set VIGIL_ADMIN_TOKEN to choose "
            "your own.\n",
            file=sys.stderr,
            flush=True,
        )
