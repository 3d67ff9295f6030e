"""Incidents, their lifecycle, and their timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.alert.model import Severity
from domain.errors import InvalidTransitionError
from domain.response.model import IncidentResponse, Priority
from domain.store.conditions import one_of
from domain.store.database import Document
from domain.store.timestamps import from_ms, optional_from_ms, optional_to_ms, to_ms
from domain.validation import require_text


class IncidentStatus(StrEnum):
    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"

    @property
    def is_open(self) -> bool:
        return self is not IncidentStatus.RESOLVED


OPEN_STATUSES = [IncidentStatus.TRIGGERED.value, IncidentStatus.ACKNOWLEDGED.value]


def status_fields(status: IncidentStatus) -> Document:
    """How a status is stored: with an `open` flag, so that ingest finds the open incidents
    with one equality, which the embedded store answers from an index (an `$in` of the open
    statuses it answers by reading every incident). A string, not a boolean: the embedded
    store turns a $set boolean into 1/0."""
    return {"status": status.value, "open": "yes" if status.is_open else "no"}


_ALLOWED: dict[IncidentStatus, frozenset[IncidentStatus]] = {
    IncidentStatus.TRIGGERED: frozenset({IncidentStatus.ACKNOWLEDGED, IncidentStatus.RESOLVED}),
    IncidentStatus.ACKNOWLEDGED: frozenset({IncidentStatus.RESOLVED}),
    IncidentStatus.RESOLVED: frozenset(),
}


def sources_of(target: IncidentStatus) -> list[str]:
    """The statuses from which `target` may be reached."""
    return [status.value for status, targets in _ALLOWED.items() if target in targets]


def check_transition(incident_id: str, current: IncidentStatus, target: IncidentStatus) -> None:
    if target not in _ALLOWED[current]:
        raise InvalidTransitionError(
            f"Incident '{incident_id}' is {current.value}; it cannot become {target.value}.",
            suggestion="Only triggered incidents can be acknowledged, and resolved ones "
            "cannot change again.",
        )


@dataclass(slots=True)
class Incident:
    id: str
    number: int
    title: str
    status: IncidentStatus
    severity: Severity
    service_id: str
    created_at: datetime
    first_event_at: datetime
    last_event_at: datetime
    alert_count: int
    open_alert_count: int
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution_note: str | None = None
    """What the resolver wrote about the cause and the fix."""
    response: IncidentResponse = field(default_factory=IncidentResponse)
    """Roles, responders, priority, type and custom fields (domain/response)."""

    def to_document(self) -> Document:
        return {
            **self.response.to_document(),
            "_id": self.id,
            "number": self.number,
            "title": self.title,
            **status_fields(self.status),
            "severity": self.severity.value,
            "service_id": self.service_id,
            "created_at": self.created_at,
            "first_event_ms": to_ms(self.first_event_at),
            "last_event_ms": to_ms(self.last_event_at),
            "alert_count": self.alert_count,
            "open_alert_count": self.open_alert_count,
            "acknowledged_ms": optional_to_ms(self.acknowledged_at),
            "acknowledged_by": self.acknowledged_by,
            "resolved_ms": optional_to_ms(self.resolved_at),
            "resolved_by": self.resolved_by,
            "resolution_note": self.resolution_note,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Incident:
        return cls(
            id=doc["_id"],
            number=int(doc["number"]),
            title=doc["title"],
            status=IncidentStatus(doc["status"]),
            severity=Severity(doc["severity"]),
            service_id=doc["service_id"],
            created_at=doc["created_at"],
            first_event_at=from_ms(doc["first_event_ms"]),
            last_event_at=from_ms(doc["last_event_ms"]),
            alert_count=int(doc["alert_count"]),
            open_alert_count=int(doc.get("open_alert_count", 0)),
            acknowledged_at=optional_from_ms(doc.get("acknowledged_ms")),
            acknowledged_by=doc.get("acknowledged_by"),
            resolved_at=optional_from_ms(doc.get("resolved_ms")),
            resolved_by=doc.get("resolved_by"),
            resolution_note=doc.get("resolution_note"),
            response=IncidentResponse.from_document(doc),
        )


class TimelineKind(StrEnum):
    OPENED = "opened"
    ALERTS_ADDED = "alerts_added"
    STATUS_CHANGED = "status_changed"
    NOTE_ADDED = "note_added"
    MERGED = "merged"
    """People merged incidents: on the one kept and on each merged into it."""
    SPLIT = "split"
    """People moved alerts out into a new incident: on both."""
    PAGED = "paged"
    ESCALATED = "escalated"
    REASSIGNED = "reassigned"
    NOTIFICATION_SENT = "notification_sent"
    NOTIFICATION_FAILED = "notification_failed"
    """A notification went to the dead letter: every attempt failed, or no contact method."""
    COMPONENT_STATUS_CHANGED = "component_status_changed"
    """Status page components set from this incident (domain/statuspage)."""
    # Incident roles and responders (domain/response): details name "user_id" and "role".
    ROLE_ASSIGNED = "role_assigned"
    ROLE_UNASSIGNED = "role_unassigned"
    RESPONDER_ADDED = "responder_added"
    RESPONDER_REMOVED = "responder_removed"
    PRIORITY_CHANGED = "priority_changed"
    TYPE_CHANGED = "type_changed"
    CUSTOM_FIELD_CHANGED = "custom_field_changed"
    NOTE_PINNED = "note_pinned"
    NOTE_UNPINNED = "note_unpinned"
    POSTMORTEM_PUBLISHED = "postmortem_published"
    """Its postmortem was published (domain/postmortem); details name "postmortem_id"."""
    STATUS_UPDATE_POSTED = "status_update_posted"
    """A stakeholder update (domain/stakeholder); details name "status_update_id", "audience"."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    id: str
    incident_id: str
    at: datetime
    kind: TimelineKind
    actor: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    pinned_at: datetime | None = None
    """Set while a note is pinned (domain/response/timeline.py)."""
    pinned_by: str | None = None

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "incident_id": self.incident_id,
            "at": self.at,
            "kind": self.kind.value,
            "actor": self.actor,
            "message": self.message,
            "details": self.details,
            # A string, not a boolean: the embedded store turns a $set boolean into 1/0.
            "pinned": "yes" if self.pinned_at else "no",
            "pinned_ms": optional_to_ms(self.pinned_at),
            "pinned_by": self.pinned_by,
        }

    @classmethod
    def from_document(cls, doc: Document) -> TimelineEntry:
        return cls(
            id=doc["_id"],
            incident_id=doc["incident_id"],
            at=doc["at"],
            kind=TimelineKind(doc["kind"]),
            actor=doc["actor"],
            message=doc["message"],
            details=dict(doc.get("details") or {}),
            pinned_at=optional_from_ms(doc.get("pinned_ms"))
            if doc.get("pinned") == "yes"
            else None,
            pinned_by=doc.get("pinned_by") if doc.get("pinned") == "yes" else None,
        )


@dataclass(frozen=True, slots=True)
class NoteDraft:
    body: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", require_text(self.body, field="body", max_length=10000))


def resolution_note(text: str | None) -> str | None:
    """A validated resolution note; None when there is none."""
    if text is None:
        return None
    return require_text(text, field="resolutionNote", max_length=10000)


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    statuses: tuple[IncidentStatus, ...] = ()
    service_ids: tuple[str, ...] = ()
    since: datetime | None = None
    priorities: tuple[Priority, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "statuses", tuple(IncidentStatus(s) for s in self.statuses))
        object.__setattr__(self, "priorities", tuple(Priority(p) for p in self.priorities))

    def to_query(self) -> Document:
        query: Document = {}
        if self.statuses:
            query["status"] = one_of([s.value for s in self.statuses])
        if self.service_ids:
            query["service_id"] = {"$in": list(self.service_ids)}
        if self.since is not None:
            query["created_at"] = {"$gte": self.since}
        if self.priorities:
            query["priority"] = {"$in": [p.value for p in self.priorities]}
        return query
