"""Status pages wired to one database, for the composition root (api/container.py)."""

from __future__ import annotations

from domain.audit.trail import AuditTrail
from domain.clock import Clock
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.service.service import ServiceCatalog
from domain.statuspage.changes import PublicChanges
from domain.statuspage.incidents import PublicIncidents
from domain.statuspage.maintenance import Maintenance
from domain.statuspage.pages import Pages
from domain.statuspage.ports import StatusEventPublisher, SubscriberLinks, SubscriberNotifier
from domain.statuspage.repository import StatusPageRepository
from domain.statuspage.service import StatusPages
from domain.statuspage.statuses import ComponentStatuses
from domain.statuspage.subscriptions import Subscriptions
from domain.statuspage.views import PublicViews
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
    audit: AuditTrail,
    clock: Clock,
    public_url: str,
) -> StatusPages:
    repository = StatusPageRepository(db)
    views = PublicViews(repository=repository, clock=clock)
    subscriptions = Subscriptions(
        repository=repository, links=links, notifier=notifier, clock=clock, public_url=public_url
    )
    changes = PublicChanges(
        repository=repository,
        views=views,
        subscriptions=subscriptions,
        status_events=status_events,
        clock=clock,
        public_url=public_url,
    )
    return StatusPages(
        pages=Pages(
            repository=repository, changes=changes, services=services, audit=audit, clock=clock
        ),
        statuses=ComponentStatuses(
            repository=repository,
            changes=changes,
            desk=desk,
            incidents=IncidentRepository(db),
            incident_events=publisher,
            clock=clock,
        ),
        incidents=PublicIncidents(repository=repository, changes=changes, desk=desk, clock=clock),
        maintenance=Maintenance(repository=repository, changes=changes, clock=clock),
        subscriptions=subscriptions,
        views=views,
    )
