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
from domain.team.ownership import ServiceOwners


@dataclass(frozen=True, slots=True)
class Context:
    changes: ChangeEvents
    incidents: ResponderContext


def build_context(
    db: Database,
    *,
    services: ServiceCatalog,
    owners: ServiceOwners,
    clock: Clock,
    postmortems: PostmortemIndex | None = None,
) -> Context:
    """`postmortems`: where similar incidents' postmortem links come from; None: no links.
    `owners` scopes everything to the services the caller may read."""
    incidents = IncidentRepository(db)
    alerts = AlertRepository(db)
    changes = ChangeEventRepository(db)
    return Context(
        changes=ChangeEvents(repository=changes, services=services, owners=owners, clock=clock),
        incidents=ResponderContext(
            incidents=incidents,
            alerts=alerts,
            services=ServiceRepository(db),
            owners=owners,
            changes=changes,
            similar=SimilarIncidents(incidents=incidents, alerts=alerts, clock=clock),
            postmortems=postmortems,
        ),
    )
