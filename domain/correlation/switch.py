"""Which correlator decides live, following the stored settings.

`updateCorrelationSettings` stores the settings and switches the process that took
it at once; every other process (replica, worker) switches within
`VIGIL_WORKER_INTERVAL_SECONDS`, when its background job (`follow`) sees them. The
learned engine is also rebuilt when the service topology changes (services
registered after start-up count without a restart) and when a model is retrained.
A new learned engine's working set is restored from the recent stored alerts before
it takes over, so open incidents stay joinable across a switch.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from correlation import Correlator, TimeWindowCorrelator
from correlation.engine import CorrelationEngine
from correlation.learned import LearnedCorrelator
from correlation.topology import Topology
from domain.alert.repository import AlertRepository
from domain.correlation.facts import facts_of
from domain.correlation.live import LiveCorrelator
from domain.correlation.models import CorrelationModels
from domain.correlation.settings import CorrelationSettings, EngineKind
from domain.correlation.settings_store import SettingsStore
from domain.service.repository import ServiceRepository

RESTORE_LIMIT = 50_000


async def correlator_for(
    settings: CorrelationSettings,
    models: CorrelationModels,
    services: ServiceRepository,
    *,
    topology: Topology | None = None,
) -> Correlator:
    """A fresh correlator as ``settings`` describe it; a learned engine decides with the
    newest stored model (else the built-in priors) and the services' topology (read
    here unless given), its working set empty."""
    if settings.engine is EngineKind.WINDOW:
        return TimeWindowCorrelator(timedelta(seconds=settings.window_seconds))
    stored = await models.latest()
    if topology is None:
        topology = await topology_of(services)
    engine = CorrelationEngine(stored.model if stored else None, topology)
    if settings.threshold is not None:
        engine = CorrelationEngine(engine.model.with_threshold(settings.threshold), topology)
    return LearnedCorrelator(engine, timedelta(seconds=settings.window_seconds))


async def topology_of(services: ServiceRepository) -> Topology:
    """The registered services and what they call, as the engine's topology."""
    known = await services.all()
    return Topology.from_dict(
        {
            "nodes": [s.name for s in known],
            "edges": [[s.name, callee] for s in known for callee in s.depends_on],
        }
    )


class CorrelationSwitch:
    def __init__(
        self,
        *,
        live: LiveCorrelator,
        settings: SettingsStore,
        models: CorrelationModels,
        alerts: AlertRepository,
        services: ServiceRepository,
    ) -> None:
        self._live = live
        self._settings = settings
        self._models = models
        self._alerts = alerts
        self._services = services
        self._switching = asyncio.Lock()

    @property
    def active(self) -> Correlator:
        """The correlator deciding now."""
        return self._live.active

    async def start(self) -> None:
        """At start-up: the correlator the effective settings describe, warmed up."""
        await self._switch(await self._settings.effective())

    async def follow(self) -> int:
        """The background job: switch when the settings or, for the learned engine, the
        topology changed; 1 if it switched."""
        wanted = await self._settings.effective()
        topology = None
        if wanted == self._live.settings:
            topology = await self._changed_topology()
            if topology is None:
                return 0
        await self._switch(wanted, topology)
        return 1

    async def rebuild(self) -> None:
        """Decide with the newest stored model from now on (after a retraining)."""
        await self._switch(await self._settings.effective())

    async def _changed_topology(self) -> Topology | None:
        """The services' topology if a learned engine decides with another one, else None."""
        active = self._live.active
        if not isinstance(active, LearnedCorrelator):
            return None
        current = active.engine.topology
        topology = await topology_of(self._services)
        if current is not None and current.to_dict() == topology.to_dict():
            return None
        return topology

    async def _switch(
        self, settings: CorrelationSettings, topology: Topology | None = None
    ) -> None:
        async with self._switching:
            correlator = await correlator_for(
                settings, self._models, self._services, topology=topology
            )
            if settings.engine is EngineKind.LEARNED:  # the rule keeps no state to restore
                recent = await self._alerts.recent_attached(correlator.lookback, RESTORE_LIMIT)
                correlator.restore((facts_of(a), a.incident_id) for a in recent if a.incident_id)
            self._live.use(correlator, settings)
