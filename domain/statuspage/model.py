"""Status pages: what the public is told, kept apart from the incidents responders work on.

Nothing here holds alert text or incident notes. A public incident may name the internal
incident it reports on (so updates written there reach it), but that id stays internal:
the public view (domain/statuspage/public.py) never carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.contact.model import ContactKind, ContactMethod, require_address
from domain.errors import ValidationError
from domain.store.database import Document
from domain.store.timestamps import from_ms, optional_from_ms, optional_to_ms, to_ms
from domain.validation import require_slug, require_text

MAX_COMPONENTS_PER_CALL = 100


class ComponentStatus(StrEnum):
    """In order of how bad it is: the worst of several is the one shown."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        """How people read it: the status is always written out, never only a colour."""
        return self.value.replace("_", " ").capitalize()

    @property
    def counts_as_up(self) -> bool:
        """Planned work is not downtime, as on Atlassian Statuspage."""
        return self in (ComponentStatus.OPERATIONAL, ComponentStatus.UNDER_MAINTENANCE)


_RANK = {status: rank for rank, status in enumerate(ComponentStatus)}


def worst(statuses: list[ComponentStatus]) -> ComponentStatus:
    return max(statuses, key=lambda s: s.rank, default=ComponentStatus.OPERATIONAL)


class PublicIncidentState(StrEnum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Impact(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class SubscriberKind(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class SubscriberState(StrEnum):
    # A string, not a boolean: the embedded store turns booleans written by $set into 1/0.
    PENDING = "pending"
    CONFIRMED = "confirmed"


def _title(value: str, field: str = "title") -> str:
    return require_text(value, field=field, max_length=200)


def _description(value: str, field: str = "description") -> str:
    return require_text(value, field=field, max_length=2000, allow_empty=True)


@dataclass(frozen=True, slots=True)
class StatusPage:
    id: str
    slug: str
    title: str
    description: str
    created_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "slug", require_slug(self.slug, field="slug"))
        object.__setattr__(self, "title", _title(self.title))
        object.__setattr__(self, "description", _description(self.description))

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> StatusPage:
        return cls(doc["_id"], doc["slug"], doc["title"], doc["description"], doc["created_at"])


@dataclass(frozen=True, slots=True)
class ComponentGroup:
    id: str
    page_id: str
    name: str
    created_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _title(self.name, "name"))

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "page_id": self.page_id,
            "name": self.name,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> ComponentGroup:
        return cls(doc["_id"], doc["page_id"], doc["name"], doc["created_at"])


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    page_id: str
    name: str
    description: str
    group_id: str | None
    service_ids: tuple[str, ...]
    """Internal services this component stands for; never shown publicly."""
    status: ComponentStatus
    status_changed_at: datetime
    created_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _title(self.name, "name"))
        object.__setattr__(self, "description", _description(self.description))
        object.__setattr__(self, "status", ComponentStatus(self.status))
        object.__setattr__(self, "service_ids", tuple(dict.fromkeys(self.service_ids)))

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "page_id": self.page_id,
            "name": self.name,
            "description": self.description,
            "group_id": self.group_id,
            "service_ids": list(self.service_ids),
            "status": self.status.value,
            "status_ms": to_ms(self.status_changed_at),
            # Milliseconds: uptime is computed from it, and components are replaced whole.
            "created_ms": to_ms(self.created_at),
        }

    @classmethod
    def from_document(cls, doc: Document) -> Component:
        return cls(
            id=doc["_id"],
            page_id=doc["page_id"],
            name=doc["name"],
            description=doc.get("description") or "",
            group_id=doc.get("group_id"),
            service_ids=tuple(doc.get("service_ids") or ()),
            status=ComponentStatus(doc["status"]),
            status_changed_at=from_ms(int(doc["status_ms"])),
            created_at=from_ms(int(doc["created_ms"])),
        )


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One entry of a component's status history: uptime bars are computed from these."""

    id: str
    page_id: str
    component_id: str
    status: ComponentStatus
    at: datetime
    actor: str
    incident_id: str | None = None
    """The internal incident that set it, if any (internal: not in the public view)."""

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "page_id": self.page_id,
            "component_id": self.component_id,
            "status": self.status.value,
            "at_ms": to_ms(self.at),
            "actor": self.actor,
            "incident_id": self.incident_id,
        }

    @classmethod
    def from_document(cls, doc: Document) -> StatusChange:
        return cls(
            id=doc["_id"],
            page_id=doc["page_id"],
            component_id=doc["component_id"],
            status=ComponentStatus(doc["status"]),
            at=from_ms(int(doc["at_ms"])),
            actor=doc["actor"],
            incident_id=doc.get("incident_id"),
        )


@dataclass(frozen=True, slots=True)
class PublicIncident:
    id: str
    page_id: str
    title: str
    impact: Impact
    state: PublicIncidentState
    component_ids: tuple[str, ...]
    internal_incident_id: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _title(self.title))
        object.__setattr__(self, "impact", Impact(self.impact))
        object.__setattr__(self, "state", PublicIncidentState(self.state))

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "page_id": self.page_id,
            "title": self.title,
            "impact": self.impact.value,
            "state": self.state.value,
            "component_ids": list(self.component_ids),
            "internal_incident_id": self.internal_incident_id,
            "created_at": self.created_at,
            "updated_ms": to_ms(self.updated_at),
            "resolved_ms": optional_to_ms(self.resolved_at),
        }

    @classmethod
    def from_document(cls, doc: Document) -> PublicIncident:
        return cls(
            id=doc["_id"],
            page_id=doc["page_id"],
            title=doc["title"],
            impact=Impact(doc["impact"]),
            state=PublicIncidentState(doc["state"]),
            component_ids=tuple(doc.get("component_ids") or ()),
            internal_incident_id=doc.get("internal_incident_id"),
            created_at=doc["created_at"],
            updated_at=from_ms(int(doc["updated_ms"])),
            resolved_at=optional_from_ms(doc.get("resolved_ms")),
        )


@dataclass(frozen=True, slots=True)
class PublicUpdate:
    id: str
    public_incident_id: str
    page_id: str
    body: str
    state: PublicIncidentState
    at: datetime
    actor: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", require_text(self.body, field="body", max_length=5000))
        object.__setattr__(self, "state", PublicIncidentState(self.state))

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "public_incident_id": self.public_incident_id,
            "page_id": self.page_id,
            "body": self.body,
            "state": self.state.value,
            "at_ms": to_ms(self.at),
            "actor": self.actor,
        }

    @classmethod
    def from_document(cls, doc: Document) -> PublicUpdate:
        return cls(
            id=doc["_id"],
            public_incident_id=doc["public_incident_id"],
            page_id=doc["page_id"],
            body=doc["body"],
            state=PublicIncidentState(doc["state"]),
            at=from_ms(int(doc["at_ms"])),
            actor=doc["actor"],
        )


@dataclass(frozen=True, slots=True)
class ScheduledMaintenance:
    id: str
    page_id: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    component_ids: tuple[str, ...]
    created_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _title(self.title))
        object.__setattr__(self, "description", _description(self.description))
        if self.ends_at <= self.starts_at:
            raise ValidationError(
                "'endsAt' must be after 'startsAt'.",
                suggestion="Give the maintenance window an end after its start.",
                field="endsAt",
            )

    def active_at(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "page_id": self.page_id,
            "title": self.title,
            "description": self.description,
            "starts_ms": to_ms(self.starts_at),
            "ends_ms": to_ms(self.ends_at),
            "component_ids": list(self.component_ids),
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> ScheduledMaintenance:
        return cls(
            id=doc["_id"],
            page_id=doc["page_id"],
            title=doc["title"],
            description=doc.get("description") or "",
            starts_at=from_ms(int(doc["starts_ms"])),
            ends_at=from_ms(int(doc["ends_ms"])),
            component_ids=tuple(doc.get("component_ids") or ()),
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class ComponentDraft:
    name: str
    description: str = ""
    group_id: str | None = None
    service_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PublicIncidentDraft:
    page_id: str
    title: str
    body: str
    """The first update's text."""
    impact: Impact = Impact.MINOR
    state: PublicIncidentState = PublicIncidentState.INVESTIGATING
    component_ids: tuple[str, ...] = ()
    internal_incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class MaintenanceDraft:
    page_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    component_ids: tuple[str, ...] = ()


def require_subscriber_address(kind: SubscriberKind, address: str) -> str:
    """Checked as the contact method of the same kind would be; e-mail addresses are kept
    in lower case, so one address subscribes once."""
    checked = require_address(ContactKind(kind.value), address)
    return checked.lower() if kind is SubscriberKind.EMAIL else checked


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: str
    page_id: str
    kind: SubscriberKind
    address: str
    state: SubscriberState
    signing_secret: str | None
    """For webhooks: the HMAC key deliveries are signed with, shown once at subscription."""
    created_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", SubscriberKind(self.kind))
        object.__setattr__(self, "state", SubscriberState(self.state))
        object.__setattr__(self, "address", require_subscriber_address(self.kind, self.address))

    @property
    def confirmed(self) -> bool:
        return self.state is SubscriberState.CONFIRMED

    def as_contact_method(self) -> ContactMethod:
        """Where the notification channels send to: the same e-mail and webhook channels
        as pages use."""
        return ContactMethod(
            id=self.id,
            user_id="",
            kind=ContactKind(self.kind.value),
            address=self.address,
            label=f"status page subscriber ({self.kind.value})",
            signing_secret=self.signing_secret,
            created_at=self.created_at,
        )

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "page_id": self.page_id,
            "kind": self.kind.value,
            "address": self.address,
            "state": self.state.value,
            "signing_secret": self.signing_secret,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Subscriber:
        return cls(
            id=doc["_id"],
            page_id=doc["page_id"],
            kind=SubscriberKind(doc["kind"]),
            address=doc["address"],
            state=SubscriberState(doc["state"]),
            signing_secret=doc.get("signing_secret"),
            created_at=doc["created_at"],
        )
