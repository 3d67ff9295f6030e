"""The correlation switch follows the service topology, read from the real store."""

from __future__ import annotations

from datetime import UTC, datetime

from correlation.learned import LearnedCorrelator
from domain.alert.repository import AlertRepository
from domain.correlation.live import LiveCorrelator
from domain.correlation.models import CorrelationModels
from domain.correlation.settings import CorrelationSettings, EngineKind
from domain.correlation.settings_store import SettingsStore
from domain.correlation.switch import CorrelationSwitch, correlator_for
from domain.ids import new_id
from domain.service.model import Service
from domain.service.repository import ServiceRepository
from domain.store.database import Database

LEARNED = CorrelationSettings(EngineKind.LEARNED, 3600)


class CountedServices(ServiceRepository):
    """The real repository, counting how often the whole catalog is read."""

    reads = 0

    async def all(self) -> list[Service]:
        self.reads += 1
        return await super().all()


def service(name: str, *calls: str) -> Service:
    return Service(new_id(), name, "", calls, datetime.now(UTC))


async def test_a_changed_topology_is_read_once_and_decided_with(db: Database) -> None:
    services = CountedServices(db)
    await services.insert(service("checkout"))
    models = CorrelationModels(db)
    live = LiveCorrelator(await correlator_for(LEARNED, models, services), LEARNED)
    switch = CorrelationSwitch(
        live=live,
        settings=SettingsStore(db, LEARNED),
        models=models,
        alerts=AlertRepository(db),
        services=services,
    )
    await switch.start()
    await services.insert(service("payments"))
    await services.insert(service("cart", "payments"))
    services.reads = 0

    assert await switch.follow() == 1

    assert services.reads == 1
    active = switch.active
    assert isinstance(active, LearnedCorrelator)
    topology = active.engine.topology
    assert topology is not None
    assert sorted(topology.to_dict()["edges"]) == [["cart", "payments"]]
    assert await switch.follow() == 0
