"""Stakeholder updates wired to one database, for the composition root (api/container.py)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.clock import Clock
from domain.contact.service import ContactBook
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.service.service import ServiceCatalog
from domain.stakeholder.ports import UpdateNotifier
from domain.stakeholder.repository import (
    StatusUpdateRepository,
    SubscriptionRepository,
    TemplateRepository,
)
from domain.stakeholder.service import StatusUpdates
from domain.stakeholder.subscriptions import StakeholderSubscriptions
from domain.stakeholder.templates import UpdateTemplates
from domain.store.database import Database
from domain.team.ownership import ServiceOwners


@dataclass(frozen=True, slots=True)
class Stakeholders:
    updates: StatusUpdates
    """Attach the status pages with ``updates.publish_publicly_through(channel)``."""
    subscriptions: StakeholderSubscriptions
    templates: UpdateTemplates


def build_stakeholders(
    db: Database,
    *,
    desk: IncidentDesk,
    services: ServiceCatalog,
    owners: ServiceOwners,
    contacts: ContactBook,
    notifier: UpdateNotifier,
    publisher: EventPublisher,
    audit: AuditTrail,
    clock: Clock,
) -> Stakeholders:
    subscriptions = SubscriptionRepository(db)
    templates = UpdateTemplates(
        repository=TemplateRepository(db),
        audit=audit,
        resource=AuditResource.STATUS_UPDATE_TEMPLATE,
        clock=clock,
    )
    return Stakeholders(
        updates=StatusUpdates(
            repository=StatusUpdateRepository(db),
            subscriptions=subscriptions,
            templates=templates,
            desk=desk,
            incidents=IncidentRepository(db),
            services=services,
            notifier=notifier,
            publisher=publisher,
            clock=clock,
        ),
        subscriptions=StakeholderSubscriptions(
            repository=subscriptions,
            contacts=contacts,
            desk=desk,
            services=services,
            owners=owners,
            clock=clock,
        ),
        templates=templates,
    )
