"""Alerts, normalised: whatever the monitor, an alert looks like this."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from json.encoder import encode_basestring_ascii as _quoted
from typing import Any, TypeVar

from domain.alert.explanation import CorrelationExplanation
from domain.clock import as_utc
from domain.errors import ValidationError
from domain.noise.model import Suppression
from domain.store.conditions import one_of
from domain.store.database import Document
from domain.store.timestamps import from_ms, optional_from_ms, optional_to_ms, to_ms
from domain.validation import require_slug, require_text

E = TypeVar("E", bound=StrEnum)

MAX_LABELS = 64
MAX_LABEL_KEY = 128
MAX_LABEL_VALUE = 1024
MAX_FUTURE_SKEW = timedelta(minutes=10)


class Severity(StrEnum):
    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2, Severity.CRITICAL: 3}


def worst(severities: Iterable[Severity]) -> Severity:
    return max(severities, key=lambda s: s.rank)


MAX_LINKS = 20
MAX_DETAILS_BYTES = 65536


@dataclass(frozen=True, slots=True)
class AlertLink:
    """Where a responder can look: the monitor's graph, dashboard, panel, silence page."""

    href: str
    text: str = ""

    def __post_init__(self) -> None:
        if not self.href.startswith(("http://", "https://")) or len(self.href) > 2048:
            raise ValidationError(
                f"A link must be an http(s) URL of at most 2048 characters, got {self.href!r}.",
                field="links",
            )
        object.__setattr__(
            self,
            "text",
            require_text(self.text, field="links.text", max_length=256, allow_empty=True),
        )


class AlertStatus(StrEnum):
    FIRING = "firing"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """An alert as a monitor sent it, validated on construction."""

    summary: str
    description: str = ""
    source: str = "api"
    service: str | None = None
    severity: Severity = Severity.ERROR
    labels: Mapping[str, str] = field(default_factory=dict)
    dedup_key: str | None = None
    occurred_at: datetime | None = None
    status: AlertStatus = AlertStatus.FIRING
    links: tuple[AlertLink, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    """Free-form context from the monitor (annotations, custom details), any JSON object."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", _member(Severity, self.severity, "severity"))
        object.__setattr__(self, "status", _member(AlertStatus, self.status, "status"))
        object.__setattr__(
            self, "summary", require_text(self.summary, field="summary", max_length=1024)
        )
        object.__setattr__(
            self,
            "description",
            require_text(self.description, field="description", max_length=16384, allow_empty=True),
        )
        object.__setattr__(
            self, "source", require_text(self.source, field="source", max_length=255)
        )
        if self.service is not None:
            require_slug(self.service, field="service")
        if self.dedup_key is not None:
            object.__setattr__(
                self, "dedup_key", require_text(self.dedup_key, field="dedupKey", max_length=255)
            )
        _check_labels(self.labels)
        if len(self.links) > MAX_LINKS:
            raise ValidationError(f"At most {MAX_LINKS} links are allowed.", field="links")
        check_details(self.details)
        if self.occurred_at is not None:
            if self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
                raise ValidationError(
                    "'occurredAt' has no time zone.",
                    suggestion="Send ISO 8601 with an offset, e.g. 2026-11-26T15:04:05Z.",
                    field="occurredAt",
                )
            object.__setattr__(self, "occurred_at", as_utc(self.occurred_at))


def _member(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValidationError(
            f"'{field}' must be one of {allowed}, got {value!r}.", field=field
        ) from None


def _check_labels(labels: Mapping[str, str]) -> None:
    if not isinstance(labels, Mapping):
        raise ValidationError("'labels' must be an object of strings.", field="labels")
    if len(labels) > MAX_LABELS:
        raise ValidationError(
            f"At most {MAX_LABELS} labels are allowed, got {len(labels)}.", field="labels"
        )
    for key, value in labels.items():
        if not isinstance(key, str) or not key or len(key) > MAX_LABEL_KEY:
            raise ValidationError(
                f"Label names must be 1 to {MAX_LABEL_KEY} characters, got {key!r}.", field="labels"
            )
        if not isinstance(value, str) or len(value) > MAX_LABEL_VALUE:
            raise ValidationError(
                f"Label '{key}' must be a string of at most {MAX_LABEL_VALUE} characters.",
                suggestion='Send every label value as a JSON string, e.g. "8080".',
                field="labels",
            )


def check_details(details: Mapping[str, Any]) -> None:
    if not isinstance(details, Mapping):
        raise ValidationError("'details' must be a JSON object.", field="details")
    if not details:  # most alerts bring none: nothing to measure
        return
    try:
        size = len(json.dumps(details, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        raise ValidationError("'details' must be plain JSON.", field="details") from None
    if size > MAX_DETAILS_BYTES:
        raise ValidationError(
            f"'details' is {size} bytes as JSON; the limit is {MAX_DETAILS_BYTES}.",
            suggestion="Send large payloads to your log store and link to them.",
            field="details",
        )


def fingerprint(source: str, service: str, labels: Mapping[str, str], summary: str) -> str:
    """The dedup key of an alert that brought none.

    The hash of ``json.dumps([source, service, sorted(labels.items()), summary],
    separators=(",", ":"))``, with the JSON written out directly: twice as fast as
    ``json.dumps``, which builds an encoder on each call, and byte for byte the same, so
    alerts stored before keep deduplicating (tests/domain/test_alert_model.py holds both
    to it).
    """
    pairs = ",".join(
        [f"[{_quoted(key)},{_quoted(value)}]" for key, value in sorted(labels.items())]
    )
    canonical = f"[{_quoted(source)},{_quoted(service)},[{pairs}],{_quoted(summary)}]"
    return "fp:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


def open_key(service_id: str, dedup_key: str) -> str:
    """Unique among firing alerts: dedup keys are scoped to a service, as in PagerDuty."""
    return f"{service_id}|{dedup_key}"


def closed_key(alert_id: str) -> str:
    return f"closed|{alert_id}"


@dataclass(slots=True)
class Alert:
    id: str
    service_id: str
    service: str
    source: str
    summary: str
    description: str
    severity: Severity
    labels: dict[str, str]
    dedup_key: str
    occurred_at: datetime
    received_at: datetime
    status: AlertStatus
    count: int
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None
    incident_id: str | None
    links: list[AlertLink] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    suppression: Suppression | None = None
    """Set when a rule, silence or maintenance window kept it from opening an incident."""
    correlation: CorrelationExplanation | None = None
    """Why the correlator put it in its incident, as decided at ingest."""

    @property
    def open_key(self) -> str:
        if self.status is AlertStatus.FIRING:
            return open_key(self.service_id, self.dedup_key)
        return closed_key(self.id)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "service_id": self.service_id,
            "service": self.service,
            "source": self.source,
            "summary": self.summary,
            "description": self.description,
            "severity": self.severity.value,
            "labels": self.labels,
            "dedup_key": self.dedup_key,
            "open_key": self.open_key,
            "occurred_at": self.occurred_at,
            "received_at": self.received_at,
            "status": self.status.value,
            "count": self.count,
            "first_seen_at": self.first_seen_at,
            "last_seen_ms": to_ms(self.last_seen_at),
            "resolved_ms": optional_to_ms(self.resolved_at),
            "incident_id": self.incident_id,
            "links": [{"href": link.href, "text": link.text} for link in self.links],
            # A string: monitors' keys may hold "$" or "." that MongoDB refuses as field names.
            "details_json": json.dumps(self.details, separators=(",", ":")),
            "suppression": self.suppression.to_document() if self.suppression else None,
            "correlation": self.correlation.to_json() if self.correlation else None,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Alert:
        return cls(
            id=doc["_id"],
            service_id=doc["service_id"],
            service=doc["service"],
            source=doc["source"],
            summary=doc["summary"],
            description=doc.get("description", ""),
            severity=Severity(doc["severity"]),
            labels=dict(doc.get("labels") or {}),
            dedup_key=doc["dedup_key"],
            occurred_at=doc["occurred_at"],
            received_at=doc["received_at"],
            status=AlertStatus(doc["status"]),
            count=int(doc["count"]),
            first_seen_at=doc["first_seen_at"],
            last_seen_at=from_ms(doc["last_seen_ms"]),
            resolved_at=optional_from_ms(doc.get("resolved_ms")),
            incident_id=doc.get("incident_id"),
            links=[AlertLink(link["href"], link.get("text", "")) for link in doc.get("links", [])],
            details=json.loads(doc.get("details_json") or "{}"),
            suppression=Suppression.from_document(doc.get("suppression")),
            correlation=CorrelationExplanation.from_stored(doc.get("correlation")),
        )


@dataclass(frozen=True, slots=True)
class AlertFilter:
    service_ids: tuple[str, ...] = ()
    statuses: tuple[AlertStatus, ...] = ()
    suppressed: bool | None = None
    """True: only suppressed alerts; False: only those not suppressed; None: both."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "statuses", tuple(AlertStatus(s) for s in self.statuses))

    def to_query(self) -> Document:
        query: Document = {}
        if self.service_ids:
            query["service_id"] = {"$in": list(self.service_ids)}
        if self.statuses:
            query["status"] = one_of([s.value for s in self.statuses])
        if self.suppressed is not None:
            query["suppression"] = {"$ne": None} if self.suppressed else None
        return query
