"""Change events: deploys and configuration changes, the usual suspects of an incident.

A change is not an alert: it opens no incident and pages nobody. It is kept so that the
responder of an incident sees what changed on the service, and on what it calls, just
before things went wrong (`Incident.context`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.alert.model import MAX_FUTURE_SKEW, MAX_LINKS, AlertLink, check_details
from domain.clock import as_utc
from domain.errors import ValidationError
from domain.store.database import Document
from domain.store.timestamps import from_ms, to_ms
from domain.validation import require_slug, require_text

MAX_BATCH = 100
"""Change events per call: deploy pipelines send one or a few, never a storm."""
MAX_SUMMARY = 1024
MAX_SOURCE = 255
MAX_QUERY_SPAN = timedelta(days=90)
MAX_QUERY_RESULTS = 500


class ChangeKind(StrEnum):
    DEPLOY = "deploy"
    CONFIG = "config"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ChangeEventDraft:
    """A change as the sender reported it, validated on construction."""

    summary: str
    kind: ChangeKind = ChangeKind.OTHER
    source: str = "api"
    """The tool that made the change (a CI pipeline, a config repository)."""
    service: str | None = None
    """Service name; None when the integration key is bound to a service."""
    occurred_at: datetime | None = None
    """Event time: when the change happened. None: when it was received."""
    links: tuple[AlertLink, ...] = ()
    custom_details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", ChangeKind(self.kind))
        except ValueError:
            allowed = ", ".join(kind.value for kind in ChangeKind)
            raise ValidationError(
                f"'kind' must be one of {allowed}, got {self.kind!r}.", field="kind"
            ) from None
        object.__setattr__(
            self, "summary", require_text(self.summary, field="summary", max_length=MAX_SUMMARY)
        )
        object.__setattr__(
            self, "source", require_text(self.source, field="source", max_length=MAX_SOURCE)
        )
        if self.service is not None:
            require_slug(self.service, field="service")
        if len(self.links) > MAX_LINKS:
            raise ValidationError(f"At most {MAX_LINKS} links are allowed.", field="links")
        check_details(self.custom_details)
        if self.occurred_at is not None:
            if self.occurred_at.utcoffset() is None:
                raise ValidationError(
                    "'timestamp' has no time zone.",
                    suggestion="Send ISO 8601 with an offset, e.g. 2026-11-26T15:04:05Z.",
                    field="timestamp",
                )
            object.__setattr__(self, "occurred_at", as_utc(self.occurred_at))

    def check_not_future(self, now: datetime) -> None:
        if self.occurred_at is not None and self.occurred_at > now + MAX_FUTURE_SKEW:
            raise ValidationError(
                f"'timestamp' {self.occurred_at.isoformat()} is in the future.",
                suggestion="Check the sender's clock; send the time the change happened.",
                field="timestamp",
            )


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    id: str
    kind: ChangeKind
    summary: str
    source: str
    service_id: str
    service: str
    occurred_at: datetime
    """Event time: when the change happened, as the sender says."""
    received_at: datetime
    """When Vigil received it."""
    sent_by: str
    """The principal that sent it, as on timelines ('integration_key:<name>')."""
    links: tuple[AlertLink, ...] = ()
    custom_details: Mapping[str, Any] = field(default_factory=dict)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "kind": self.kind.value,
            "summary": self.summary,
            "source": self.source,
            "service_id": self.service_id,
            "service": self.service,
            # Integers: the store compares dates only to the second, and ranges matter here.
            "occurred_ms": to_ms(self.occurred_at),
            "received_ms": to_ms(self.received_at),
            "sent_by": self.sent_by,
            "links": [{"href": link.href, "text": link.text} for link in self.links],
            "custom_details": dict(self.custom_details),
        }

    @classmethod
    def from_document(cls, doc: Document) -> ChangeEvent:
        return cls(
            id=doc["_id"],
            kind=ChangeKind(doc["kind"]),
            summary=doc["summary"],
            source=doc["source"],
            service_id=doc["service_id"],
            service=doc["service"],
            occurred_at=from_ms(doc["occurred_ms"]),
            received_at=from_ms(doc["received_ms"]),
            sent_by=doc["sent_by"],
            links=tuple(AlertLink(link["href"], link["text"]) for link in doc.get("links", ())),
            custom_details=dict(doc.get("custom_details") or {}),
        )


@dataclass(frozen=True, slots=True)
class ChangeWindow:
    """Changes of some services with an event time in [since, until], newest first."""

    service_ids: tuple[str, ...]
    since: datetime
    until: datetime
    limit: int = 100

    def __post_init__(self) -> None:
        if self.since.utcoffset() is None or self.until.utcoffset() is None:
            raise ValidationError("'since' and 'until' need a time zone.", field="since")
        if self.until < self.since:
            raise ValidationError("'until' is before 'since'.", field="until")
        if self.until - self.since > MAX_QUERY_SPAN:
            raise ValidationError(
                f"Ask for at most {MAX_QUERY_SPAN.days} days of changes at a time.",
                suggestion="Narrow 'since' and 'until'.",
                field="since",
            )
        if not 1 <= self.limit <= MAX_QUERY_RESULTS:
            raise ValidationError(
                f"'first' must be between 1 and {MAX_QUERY_RESULTS}, got {self.limit}.",
                field="first",
            )
