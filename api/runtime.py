"""What every Vigil process runs on: store, broadcaster, hub, use cases, background loops.

`vigil serve` (api/app.py's lifespan) and `vigil worker` (vigil/worker.py) both start
it here, so a worker is exactly a server without HTTP.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from pymongo.monitoring import CommandListener

from api.container import Container, build_container
from api.jobs import background_jobs, delivery_jobs, escalation_jobs
from domain.alert.repository import AlertRepository
from domain.clock import SystemClock
from domain.correlation.settings import CorrelationSettings, EngineKind
from domain.incident.repository import IncidentRepository
from domain.store.database import Database, connect
from domain.store.embedded import EmbeddedStore
from domain.store.indexes import ensure_indexes
from domain.store.migrations import run_once
from notifications.hub import LiveHub
from notifications.publisher import BroadcastPublisher
from notifications.redis_broadcast import open_broadcast
from notifications.status_hub import StatusHub
from vigil.background import PeriodicTasks
from vigil.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Runtime:
    db: Database
    container: Container
    embedded: bool
    tasks: PeriodicTasks
    """The background jobs, every VIGIL_WORKER_INTERVAL_SECONDS."""
    escalation: PeriodicTasks
    """Due escalation steps, every VIGIL_ESCALATION_TICK_SECONDS."""
    delivery: PeriodicTasks
    """Due notifications, at the same tick."""

    @property
    def loops(self) -> tuple[PeriodicTasks, ...]:
        return (self.tasks, self.escalation, self.delivery)


async def start_runtime(
    settings: Settings,
    stack: contextlib.AsyncExitStack,
    *,
    command_listeners: list[CommandListener] | None = None,
) -> Runtime:
    """Start everything; ``stack`` stops it all, in reverse order, when it closes.

    Without VIGIL_MONGODB_URI the embedded store is started too (callers that must
    share a store with other processes refuse that case before calling).
    """
    uri = settings.mongodb_uri
    if uri is None:
        embedded = EmbeddedStore(settings.data_dir)
        uri = await embedded.start()
        stack.push_async_callback(embedded.stop)
    client = connect(
        uri,
        listeners=command_listeners,
        timeout_s=settings.store_timeout_s,
        socket_timeout_s=settings.store_socket_timeout_s,
    )
    stack.push_async_callback(client.close)
    db = client[settings.database]
    await ensure_indexes(db, embedded=settings.mongodb_uri is None)
    if flagged := await IncidentRepository(db).flag_open():
        log.warning("flagged %d open incidents stored by an older version as open", flagged)
    if mended := await run_once(
        db, "alerts.resolution_times", AlertRepository(db).mend_resolution_times
    ):
        log.warning("gave %d alerts resolved by an older version their resolution time", mended)
    if await AlertRepository(db).drop_open_key_claims():
        log.warning("dropped the open-key claims: a unique index on alerts guards the keys now")

    broadcast = open_broadcast(settings.broadcast_url)
    await broadcast.connect()
    stack.push_async_callback(broadcast.disconnect)
    hub = LiveHub(broadcast)
    await hub.start()
    stack.push_async_callback(hub.stop)
    status_hub = StatusHub(broadcast)
    await status_hub.start()
    stack.push_async_callback(status_hub.stop)

    container = build_container(
        db,
        publisher=BroadcastPublisher(broadcast),
        hub=hub,
        status_hub=status_hub,
        clock=SystemClock(),
        notification_config=settings.notifications,
        correlation_defaults=CorrelationSettings(
            EngineKind(settings.correlation_engine.value),
            int(settings.correlation_window.total_seconds()),
        ),
        correlation_retrain_every=timedelta(hours=settings.correlation_retrain_hours),
        replicated=settings.replicated,
    )
    await container.correlation.switch.start()
    tasks = PeriodicTasks(settings.worker_interval_s, background_jobs(container))
    await tasks.start()
    stack.push_async_callback(tasks.stop)
    escalation = PeriodicTasks(settings.escalation_tick_s, escalation_jobs(container))
    await escalation.start()
    stack.push_async_callback(escalation.stop)
    stack.push_async_callback(container.notifications.center.aclose)
    delivery = PeriodicTasks(settings.escalation_tick_s, delivery_jobs(container))
    await delivery.start()
    stack.push_async_callback(delivery.stop)
    if mended := await container.ingest.recover_interrupted():
        log.warning("finished the incident writes of %d interrupted ingests", mended)
    if attached := await container.ingest.attach_unlinked():
        log.warning("attached %d alerts left without an incident", attached)
    return Runtime(
        db=db,
        container=container,
        embedded=settings.mongodb_uri is None,
        tasks=tasks,
        escalation=escalation,
        delivery=delivery,
    )
