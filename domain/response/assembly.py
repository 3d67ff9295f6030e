"""The response use cases, built over one database."""

from __future__ import annotations

from dataclasses import dataclass

from domain.audit.trail import AuditTrail
from domain.clock import Clock
from domain.events import EventPublisher
from domain.incident.recorder import TimelineRecorder
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.response.catalog import ResponseCatalog
from domain.response.model import FieldDefinition, IncidentType, RoleDefinition
from domain.response.repository import ResponseRepository
from domain.response.service import ResponseDesk
from domain.response.timeline import TimelinePins
from domain.store.database import Database
from domain.store.documents import DocumentRepository
from domain.user.repository import UserRepository


@dataclass(frozen=True, slots=True)
class Response:
    catalog: ResponseCatalog
    """Custom roles, incident types and custom fields (admins)."""
    desk: ResponseDesk
    """Roles, responders, priority, type and field values of incidents (responders)."""
    timeline: TimelinePins
    """Pinned notes and filtered timelines."""


def build_response(
    db: Database,
    *,
    desk: IncidentDesk,
    publisher: EventPublisher,
    audit: AuditTrail,
    clock: Clock,
) -> Response:
    """`desk` decides who may read or respond to an incident."""
    repository = ResponseRepository(db)
    incidents = IncidentRepository(db)
    recorder = TimelineRecorder(incidents=incidents, publisher=publisher, clock=clock)
    catalog = ResponseCatalog(
        roles=DocumentRepository(
            db, "incident_roles", RoleDefinition.from_document, noun="incident role"
        ),
        types=DocumentRepository(
            db, "incident_types", IncidentType.from_document, noun="incident type"
        ),
        fields=DocumentRepository(
            db, "incident_fields", FieldDefinition.from_document, noun="custom field"
        ),
        incidents=repository,
        audit=audit,
    )
    return Response(
        catalog=catalog,
        desk=ResponseDesk(
            repository=repository,
            desk=desk,
            catalog=catalog,
            users=UserRepository(db),
            recorder=recorder,
            clock=clock,
        ),
        timeline=TimelinePins(repository=repository, desk=desk, recorder=recorder, clock=clock),
    )
