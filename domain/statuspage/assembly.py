"""Status pages wired to one database, for the composition root (api/container.py)."""

from __future__ import annotations

from domain.clock import Clock
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.service.service import ServiceCatalog
from domain.statuspage.ports import StatusEventPublisher, SubscriberLinks, SubscriberNotifier
from domain.statuspage.repository import StatusPageRepository
from domain.statuspage.service import StatusPages
from domain.statuspage.subscriptions import Subscriptions
from domain.store.database import Database


def build_status_pages(
    db: Database,
    *,
    desk: IncidentDesk,
    services: ServiceCatalog,
    publisher: EventPublisher,
    status_events: StatusEventPublisher,
    links: SubscriberLinks,
    notifier: SubscriberNotifier,
    clock: Clock,
    public_url: str,
) -> StatusPages:
    repository = StatusPageRepository(db)
    return StatusPages(
        repository=repository,
        subscriptions=Subscriptions(
            repository=repository,
            links=links,
            notifier=notifier,
            clock=clock,
            public_url=public_url,
        ),
        desk=desk,
        services=services,
        incidents=IncidentRepository(db),
        incident_events=publisher,
        status_events=status_events,
        clock=clock,
        public_url=public_url,
    )
