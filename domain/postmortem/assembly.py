"""Postmortems wired to one database: the use cases, and the index other parts read."""

from __future__ import annotations

from dataclasses import dataclass

from domain.alert.repository import AlertRepository
from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.clock import Clock
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.postmortem.action_item_service import ActionItems
from domain.postmortem.repository import ActionItemRepository, PostmortemRepository
from domain.postmortem.service import PostmortemDesk
from domain.postmortem.template_service import PostmortemTemplates
from domain.postmortem.templates import PostmortemTemplate
from domain.store.database import Database
from domain.store.documents import DocumentRepository
from domain.user.repository import UserRepository


@dataclass(frozen=True, slots=True)
class Postmortems:
    desk: PostmortemDesk
    action_items: ActionItems
    templates: PostmortemTemplates
    index: PostmortemRepository
    """Implements domain.context.ports.PostmortemIndex for the responder context."""


def build_postmortems(
    db: Database,
    *,
    incidents: IncidentRepository,
    desk: IncidentDesk,
    alerts: AlertRepository,
    users: UserRepository,
    publisher: EventPublisher,
    audit: AuditTrail,
    clock: Clock,
) -> Postmortems:
    postmortems = PostmortemRepository(db)
    items = ActionItemRepository(db)
    templates = DocumentRepository(
        db, "postmortem_templates", PostmortemTemplate.from_document, noun="postmortem template"
    )
    return Postmortems(
        desk=PostmortemDesk(
            postmortems=postmortems,
            action_items=items,
            templates=templates,
            incidents=incidents,
            desk=desk,
            alerts=alerts,
            users=users,
            publisher=publisher,
            clock=clock,
        ),
        action_items=ActionItems(
            items=items,
            postmortems=postmortems,
            incidents=incidents,
            desk=desk,
            users=users,
            clock=clock,
        ),
        templates=PostmortemTemplates(
            repository=templates,
            audit=audit,
            resource=AuditResource.POSTMORTEM_TEMPLATE,
            clock=clock,
        ),
        index=postmortems,
    )
