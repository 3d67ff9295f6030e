"""Audit entries: one configuration change each, as stored and as shown to admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from domain.audit.redaction import redacted
from domain.auth import Principal, PrincipalKind
from domain.errors import ValidationError
from domain.store.database import Document
from domain.store.timestamps import from_ms, to_ms


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditResource(StrEnum):
    """What was configured. Schedule layers and overrides live inside their schedule,
    so changing one is an update of the schedule; status page components likewise."""

    SERVICE = "service"
    INTEGRATION_KEY = "integration_key"
    USER = "user"
    TEAM = "team"
    TEAM_MEMBER = "team_member"
    API_TOKEN = "api_token"
    SCHEDULE = "schedule"
    ESCALATION_POLICY = "escalation_policy"
    CONTACT_METHOD = "contact_method"
    NOTIFICATION_RULE = "notification_rule"
    EVENT_RULE = "event_rule"
    SILENCE = "silence"
    MAINTENANCE_WINDOW = "maintenance_window"
    HEARTBEAT = "heartbeat"
    CORRELATION_SETTINGS = "correlation_settings"
    CALENDAR_FEED = "calendar_feed"
    STATUS_PAGE = "status_page"
    STATUS_COMPONENT = "status_component"
    STATUS_COMPONENT_GROUP = "status_component_group"
    INCIDENT_ROLE = "incident_role"
    INCIDENT_TYPE = "incident_type"
    CUSTOM_FIELD = "custom_field"
    STATUS_UPDATE_TEMPLATE = "status_update_template"
    POSTMORTEM_TEMPLATE = "postmortem_template"


@dataclass(frozen=True, slots=True)
class AuditActor:
    kind: PrincipalKind
    id: str
    name: str

    @classmethod
    def of(cls, principal: Principal) -> AuditActor:
        return cls(kind=principal.kind, id=principal.id, name=principal.name)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Before and after are redacted on construction, so no entry can hold a secret."""

    id: str
    actor: AuditActor
    action: AuditAction
    resource_type: AuditResource
    resource_id: str
    resource_name: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    at: datetime
    request_id: str | None = None

    def __post_init__(self) -> None:
        if not self.resource_id:
            raise ValidationError("An audit entry needs the id of what changed.")
        if self.at.tzinfo is None:
            raise ValidationError("An audit entry's time must be timezone-aware.")
        expected = {
            AuditAction.CREATE: (False, True),
            AuditAction.UPDATE: (True, True),
            AuditAction.DELETE: (True, False),
        }[self.action]
        if (self.before is not None, self.after is not None) != expected:
            raise ValidationError(
                f"A {self.action.value} entry has "
                + ("a 'before'" if expected[0] else "no 'before'")
                + " and "
                + ("an 'after'" if expected[1] else "no 'after'")
                + " document."
            )
        object.__setattr__(self, "at", self.at.astimezone(UTC))
        for name in ("before", "after"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, redacted(value))

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "actor_kind": self.actor.kind.value,
            "actor_id": self.actor.id,
            "actor_name": self.actor.name,
            "action": self.action.value,
            "resource_type": self.resource_type.value,
            "resource_id": self.resource_id,
            "resource_name": self.resource_name,
            "before": self.before,
            "after": self.after,
            "at_ms": to_ms(self.at),
            "request_id": self.request_id,
        }

    @classmethod
    def from_document(cls, doc: Document) -> AuditEntry:
        return cls(
            id=str(doc["_id"]),
            actor=AuditActor(
                kind=PrincipalKind(doc["actor_kind"]), id=doc["actor_id"], name=doc["actor_name"]
            ),
            action=AuditAction(doc["action"]),
            resource_type=AuditResource(doc["resource_type"]),
            resource_id=doc["resource_id"],
            resource_name=doc.get("resource_name"),
            before=doc.get("before"),
            after=doc.get("after"),
            at=from_ms(doc["at_ms"]),
            request_id=doc.get("request_id"),
        )


@dataclass(frozen=True, slots=True)
class AuditFilter:
    resource_type: AuditResource | None = None
    resource_id: str | None = None
    actor_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise ValidationError(
                    f"'{name}' must carry a time zone.",
                    suggestion="Send it as ISO 8601 with 'Z' or an offset.",
                    field=name,
                )
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValidationError(
                "'since' is after 'until'.", suggestion="Swap them.", field="since"
            )

    def to_query(self) -> Document:
        query: Document = {}
        if self.resource_type is not None:
            query["resource_type"] = self.resource_type.value
        if self.resource_id is not None:
            query["resource_id"] = self.resource_id
        if self.actor_id is not None:
            query["actor_id"] = self.actor_id
        at: Document = {}
        if self.since is not None:
            at["$gte"] = to_ms(self.since)
        if self.until is not None:
            at["$lte"] = to_ms(self.until)
        if at:
            query["at_ms"] = at
        return query
