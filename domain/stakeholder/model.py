"""Status updates, stakeholder subscriptions and update templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.contact.model import ContactKind, ContactMethod, require_address
from domain.errors import ValidationError
from domain.placeholders import Part
from domain.stakeholder.placeholders import UPDATE_PLACEHOLDERS
from domain.store.database import Document
from domain.validation import require_text

MAX_BODY = 10_000
MAX_TEMPLATE_NAME = 100
MAX_SUBSCRIBER_NAME = 100


class Audience(StrEnum):
    RESPONDERS = "responders"
    """The people on the incident (paged, or who acknowledged or resolved it)."""
    INTERNAL = "internal"
    """Stakeholder subscribers of the incident or of its service."""
    PUBLIC = "public"
    """Subscribers too, and the public status pages linked to the incident."""

    @property
    def reaches_subscribers(self) -> bool:
        return self is not Audience.RESPONDERS


class UpdateState(StrEnum):
    """Where the work stands, in the words status pages use."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class StatusUpdateDraft:
    incident_id: str
    audience: Audience
    body: str | None = None
    """Text as written; None when a template supplies it."""
    template_id: str | None = None
    state: UpdateState | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "audience", Audience(self.audience))
        if self.state is not None:
            object.__setattr__(self, "state", UpdateState(self.state))
        if (self.body is None) == (self.template_id is None):
            raise ValidationError(
                "Give either 'body' or 'templateId', not both and not neither.",
                suggestion="Write the update in 'body', or name a template in 'templateId' "
                "(preview it with renderStatusUpdateTemplate).",
                field="body",
            )
        if self.body is not None:
            object.__setattr__(
                self, "body", require_text(self.body, field="body", max_length=MAX_BODY)
            )


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    id: str
    incident_id: str
    service_id: str
    audience: Audience
    body: str
    state: UpdateState | None
    template_id: str | None
    author_id: str
    author: str
    """The author as timelines name them ('user:<name>')."""
    posted_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "incident_id": self.incident_id,
            "service_id": self.service_id,
            "audience": self.audience.value,
            "body": self.body,
            "state": None if self.state is None else self.state.value,
            "template_id": self.template_id,
            "author_id": self.author_id,
            "author": self.author,
            "posted_at": self.posted_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> StatusUpdate:
        state = doc.get("state")
        return cls(
            id=doc["_id"],
            incident_id=doc["incident_id"],
            service_id=doc["service_id"],
            audience=Audience(doc["audience"]),
            body=doc["body"],
            state=None if state is None else UpdateState(state),
            template_id=doc.get("template_id"),
            author_id=doc["author_id"],
            author=doc["author"],
            posted_at=doc["posted_at"],
        )


@dataclass(frozen=True, slots=True)
class SubscriptionDraft:
    """Subscribe to one incident or to a service (all its incidents), through either one of
    a user's contact methods or an outside address (e-mail, webhook URL...)."""

    incident_id: str | None = None
    service_id: str | None = None
    contact_method_id: str | None = None
    kind: ContactKind | None = None
    address: str | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if (self.incident_id is None) == (self.service_id is None):
            raise ValidationError(
                "Give either 'incidentId' or 'serviceId'.",
                suggestion="Subscribe to one incident, or to a service for all its incidents.",
                field="incidentId",
            )
        outside = self.kind is not None or self.address is not None
        if (self.contact_method_id is not None) == outside:
            raise ValidationError(
                "Give either 'contactMethodId' or both 'kind' and 'address'.",
                suggestion="Subscribe a user through one of their contact methods, or an outside "
                "stakeholder by kind (EMAIL, WEBHOOK...) and address.",
                field="contactMethodId",
            )
        if outside:
            if self.kind is None or self.address is None:
                raise ValidationError(
                    "An outside stakeholder needs both 'kind' and 'address'.",
                    suggestion="For instance kind EMAIL and address 'cto@example.com'.",
                    field="kind" if self.kind is None else "address",
                )
            object.__setattr__(self, "kind", ContactKind(self.kind))
            object.__setattr__(self, "address", require_address(self.kind, self.address))
        name = require_text(
            self.name, field="name", max_length=MAX_SUBSCRIBER_NAME, allow_empty=True
        )
        object.__setattr__(self, "name", name)


@dataclass(frozen=True, slots=True)
class StakeholderSubscription:
    id: str
    incident_id: str | None
    service_id: str | None
    user_id: str | None
    """The subscribed user; None for an outside stakeholder."""
    contact_method_id: str | None
    """A user's method; None for an outside stakeholder, whose address is kept here."""
    kind: ContactKind
    address: str | None
    name: str
    signing_secret: str | None
    """Outside webhooks only: the HMAC key of the Vigil-Signature header, shown once."""
    created_by: str
    created_at: datetime

    @property
    def key(self) -> str:
        """Scope and destination: the same stakeholder subscribes to one scope once."""
        scope = f"incident:{self.incident_id}" if self.incident_id else f"service:{self.service_id}"
        return f"{scope}|{self.destination}"

    @property
    def destination(self) -> str:
        if self.contact_method_id is not None:
            return f"method:{self.contact_method_id}"
        return f"{self.kind.value}:{(self.address or '').lower()}"

    def as_contact_method(self) -> ContactMethod:
        """An outside stakeholder's address, in the shape the notification channels send to."""
        if self.address is None:
            raise ValueError("a user's subscription sends through the user's contact method")
        return ContactMethod(
            id=self.id,
            user_id="",
            kind=self.kind,
            address=self.address,
            label=self.name or self.address,
            signing_secret=self.signing_secret,
            created_at=self.created_at,
        )

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "key": self.key,
            "incident_id": self.incident_id,
            "service_id": self.service_id,
            "user_id": self.user_id,
            "contact_method_id": self.contact_method_id,
            "kind": self.kind.value,
            "address": self.address,
            "name": self.name,
            "signing_secret": self.signing_secret,
            "created_by": self.created_by,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> StakeholderSubscription:
        return cls(
            id=doc["_id"],
            incident_id=doc.get("incident_id"),
            service_id=doc.get("service_id"),
            user_id=doc.get("user_id"),
            contact_method_id=doc.get("contact_method_id"),
            kind=ContactKind(doc["kind"]),
            address=doc.get("address"),
            name=doc.get("name") or "",
            signing_secret=doc.get("signing_secret"),
            created_by=doc["created_by"],
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class TemplateDraft:
    name: str
    body: str

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "name", require_text(self.name, field="name", max_length=MAX_TEMPLATE_NAME)
        )
        object.__setattr__(self, "body", require_text(self.body, field="body", max_length=MAX_BODY))
        UPDATE_PLACEHOLDERS.parse(self.body)


@dataclass(frozen=True, slots=True)
class UpdateTemplate:
    id: str
    name: str
    body: str
    created_by: str
    created_at: datetime
    updated_at: datetime

    @property
    def parts(self) -> tuple[Part, ...]:
        return UPDATE_PLACEHOLDERS.parse(self.body)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "body": self.body,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> UpdateTemplate:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            body=doc["body"],
            created_by=doc["created_by"],
            created_at=doc["created_at"],
            updated_at=doc["updated_at"],
        )
