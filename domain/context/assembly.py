"""Change events and the responder context, wired to one database."""

from __future__ import annotations

from dataclasses import dataclass

from domain.alert.repository import AlertRepository
from domain.change.repository import ChangeEventRepository
from domain.change.service import ChangeEvents
from domain.clock import Clock
from domain.context.ports import PostmortemIndex
from domain.context.service import ResponderContext
from domain.context.similar import SimilarIncidents
from domain.incident.repository import IncidentRepository
from domain.service.repository import ServiceRepository
from domain.service.service import ServiceCatalog
from domain.store.database import Database


@dataclass(frozen=True, slots=True)
class Context:
    changes: ChangeEvents
    incidents: ResponderContext


def build_context(
    db: Database,
    *,
    services: ServiceCatalog,
    clock: Clock,
    postmortems: PostmortemIndex | None = None,
) -> Context:
    """`postmortems`: where similar incidents' postmortem links come from; None: no links."""
    incidents = IncidentRepository(db)
    alerts = AlertRepository(db)
    changes = ChangeEventRepository(db)
    return Context(
        changes=ChangeEvents(repository=changes, services=services, clock=clock),
        incidents=ResponderContext(
            incidents=incidents,
            alerts=alerts,
            services=ServiceRepository(db),
            changes=changes,
            similar=SimilarIncidents(incidents=incidents, alerts=alerts, clock=clock),
            postmortems=postmortems,
        ),
    )
