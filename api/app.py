"""The Starlette application and its lifespan: store, broadcaster, hub, use cases."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass

from broadcaster import Broadcast
from pymongo.monitoring import CommandListener
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from api.auth import Authenticator
from api.container import Container, build_container
from api.graphql_view import VigilGraphQL
from api.health import healthz
from api.heartbeat import ping
from api.jobs import background_jobs
from api.schema.schema import schema
from api.webhooks import webhook_routes
from correlation import Correlator, TimeWindowCorrelator
from correlation.engine import CorrelationEngine
from correlation.learned import LearnedCorrelator
from correlation.topology import Topology
from domain.clock import SystemClock
from domain.service.repository import ServiceRepository
from domain.store.database import Database, connect
from domain.store.embedded import EmbeddedStore
from domain.store.indexes import ensure_indexes
from notifications.hub import LiveHub
from notifications.publisher import BroadcastPublisher
from vigil.background import PeriodicTasks
from vigil.settings import CorrelationEngineKind, Environment, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Runtime:
    db: Database
    container: Container
    embedded: bool
    tasks: PeriodicTasks


def create_app(
    settings: Settings, *, command_listeners: list[CommandListener] | None = None
) -> Starlette:
    """The ASGI app. `command_listeners` observe every store command (tests count them)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            uri = settings.mongodb_uri
            if uri is None:
                embedded = EmbeddedStore(settings.data_dir)
                uri = await embedded.start()
                stack.push_async_callback(embedded.stop)
            client = connect(uri, listeners=command_listeners)
            stack.push_async_callback(client.close)
            db = client[settings.database]
            await ensure_indexes(db)

            broadcast = Broadcast(settings.broadcast_url)
            await broadcast.connect()
            stack.push_async_callback(broadcast.disconnect)
            hub = LiveHub(broadcast)
            await hub.start()
            stack.push_async_callback(hub.stop)

            container = build_container(
                db,
                publisher=BroadcastPublisher(broadcast),
                hub=hub,
                correlator=await _correlator(settings, db),
                clock=SystemClock(),
            )
            await container.ingest.warm_correlator()
            await _ensure_admin(container, settings)
            tasks = PeriodicTasks(settings.worker_interval_s, background_jobs(container))
            await tasks.start()
            stack.push_async_callback(tasks.stop)
            if mended := await container.ingest.recover_interrupted():
                log.warning("finished the incident writes of %d interrupted ingests", mended)
            if attached := await container.ingest.attach_unlinked():
                log.warning("attached %d alerts left without an incident", attached)
            app.state.container = container
            app.state.authenticator = Authenticator(container.users)
            app.state.runtime = Runtime(
                db=db, container=container, embedded=settings.mongodb_uri is None, tasks=tasks
            )
            yield

    graphql = VigilGraphQL(
        schema,
        graphql_ide="graphiql" if settings.environment is Environment.DEVELOPMENT else None,
    )
    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/heartbeat/{secret}", ping, methods=["GET", "POST"]),
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),
            *webhook_routes(),
        ],
        lifespan=lifespan,
    )


async def _correlator(settings: Settings, db: Database) -> Correlator:
    if settings.correlation_engine is CorrelationEngineKind.WINDOW:
        return TimeWindowCorrelator(settings.correlation_window)
    # The topology is read at start-up: services registered later count from the next.
    services = await ServiceRepository(db).all()
    topology = Topology.from_dict(
        {
            "nodes": [s.name for s in services],
            "edges": [[s.name, callee] for s in services for callee in s.depends_on],
        }
    )
    return LearnedCorrelator(CorrelationEngine(topology=topology))


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
