"""Domain events: what changed, announced only after the write succeeded.

The domain defines the publisher interface; ``notifications`` implements it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class IncidentEventKind(StrEnum):
    CREATED = "CREATED"
    ALERT_ADDED = "ALERT_ADDED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    RESOLVED = "RESOLVED"
    NOTE_ADDED = "NOTE_ADDED"
    MERGED = "MERGED"
    SPLIT = "SPLIT"
    PAGED = "PAGED"
    """An escalation step paged its people."""
    ESCALATED = "ESCALATED"
    """Escalated by hand, or a step skipped because nobody was on call."""
    REASSIGNED = "REASSIGNED"
    NOTIFIED = "NOTIFIED"
    """A page reached one of a person's contact methods."""
    NOTIFICATION_FAILED = "NOTIFICATION_FAILED"
    """A page could not be delivered after its last attempt (dead letter)."""
    COMPONENT_STATUS_CHANGED = "COMPONENT_STATUS_CHANGED"
    """Status page components were set from the incident (domain/statuspage)."""
    # Incident roles, responders and fields (domain/response).
    ROLE_ASSIGNED = "ROLE_ASSIGNED"
    ROLE_UNASSIGNED = "ROLE_UNASSIGNED"
    RESPONDER_ADDED = "RESPONDER_ADDED"
    RESPONDER_REMOVED = "RESPONDER_REMOVED"
    PRIORITY_CHANGED = "PRIORITY_CHANGED"
    TYPE_CHANGED = "TYPE_CHANGED"
    CUSTOM_FIELD_CHANGED = "CUSTOM_FIELD_CHANGED"
    NOTE_PINNED = "NOTE_PINNED"
    NOTE_UNPINNED = "NOTE_UNPINNED"
    POSTMORTEM_PUBLISHED = "POSTMORTEM_PUBLISHED"
    """Its postmortem was published (domain/postmortem)."""
    STATUS_UPDATE_POSTED = "STATUS_UPDATE_POSTED"
    """A stakeholder update was posted (domain/stakeholder)."""


# Weak references let subscribers share the work done once per event
# (api/schema/shared_execution.py).
@dataclass(frozen=True, slots=True, weakref_slot=True)
class IncidentEvent:
    kind: IncidentEventKind
    incident_id: str
    service_id: str
    committed_at: datetime
    incident: dict[str, Any] = field(repr=False)
    """The incident document as stored after the change, so subscribers need no read."""


class EventPublisher(Protocol):
    async def publish(self, events: list[IncidentEvent]) -> None: ...
