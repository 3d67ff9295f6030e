"""The composition root: the domain's use cases wired to one database."""

from __future__ import annotations

from dataclasses import dataclass

from correlation import Correlator
from domain.alert.repository import AlertRepository
from domain.clock import Clock
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.ingest.service import AlertIngestor
from domain.integration.repository import IntegrationKeyRepository
from domain.integration.service import IntegrationKeys
from domain.service.repository import ServiceRepository
from domain.service.service import ServiceCatalog
from domain.store.database import Database
from domain.user.repository import UserRepository
from domain.user.service import UserDirectory
from notifications.hub import LiveHub


@dataclass(frozen=True, slots=True)
class Container:
    services: ServiceCatalog
    integration_keys: IntegrationKeys
    users: UserDirectory
    incidents: IncidentDesk
    ingest: AlertIngestor
    hub: LiveHub


def build_container(
    db: Database,
    *,
    publisher: EventPublisher,
    hub: LiveHub,
    correlator: Correlator,
    clock: Clock,
) -> Container:
    alerts = AlertRepository(db)
    incidents = IncidentRepository(db)
    key_repository = IntegrationKeyRepository(db)
    services = ServiceCatalog(repository=ServiceRepository(db), clock=clock)
    desk = IncidentDesk(incidents=incidents, alerts=alerts, publisher=publisher, clock=clock)
    return Container(
        services=services,
        integration_keys=IntegrationKeys(repository=key_repository, services=services, clock=clock),
        users=UserDirectory(users=UserRepository(db), integration_keys=key_repository, clock=clock),
        incidents=desk,
        ingest=AlertIngestor(
            alerts=alerts,
            incidents=incidents,
            desk=desk,
            services=services,
            correlator=correlator,
            publisher=publisher,
            clock=clock,
        ),
        hub=hub,
    )
