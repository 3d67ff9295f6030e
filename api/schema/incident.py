"""Incidents, their alerts and their timeline.

Scalar fields are plain attributes (cheap on long lists); relations are
resolvers that go through the request's DataLoaders.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from api.schema.access import context_of
from api.schema.contact import Notification
from api.schema.enums import AlertStatus, IncidentStatus, Severity, TimelineKind
from api.schema.explanation import AlertCorrelation
from api.schema.pagination import Connection, connection
from api.schema.scalars import JSONObject, Labels
from api.schema.service import Service
from domain.alert import model as alert_model
from domain.errors import NotFoundError
from domain.incident import model as incident_model
from domain.noise.model import SuppressionKind
from domain.store.pagination import DEFAULT_PAGE_SIZE

if TYPE_CHECKING:
    from api.schema.escalation import Escalation


async def _service(info: strawberry.Info, service_id: str) -> Service:
    found = await context_of(info).loaders.service.load(service_id)
    if found is None:
        raise NotFoundError(f"No service with id '{service_id}'.")
    return Service.from_domain(found)


@strawberry.type(name="AlertLink")
class Link:
    href: str
    text: str


@strawberry.type(description="Why an alert opened no incident.")
class Suppression:
    kind: SuppressionKind
    id: strawberry.ID
    name: str


@strawberry.type
class Alert:
    id: strawberry.ID
    summary: str
    description: str
    source: str
    service_id: strawberry.ID
    service_name: str
    severity: Severity
    labels: Labels
    dedup_key: str
    occurred_at: datetime = strawberry.field(description="Event time: when the monitor saw it.")
    received_at: datetime = strawberry.field(description="When Vigil first received it.")
    status: AlertStatus
    count: int = strawberry.field(description="How many times it was received while firing.")
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None
    incident_id: strawberry.ID | None
    links: list[Link]
    details: JSONObject
    suppression: Suppression | None = strawberry.field(
        description="Set when a rule, silence or maintenance window kept it out of incidents."
    )
    correlation: AlertCorrelation | None = strawberry.field(
        description="Why it is in its incident, as decided when it arrived."
    )

    @strawberry.field
    async def service(self, info: strawberry.Info) -> Service:
        return await _service(info, self.service_id)

    @strawberry.field
    async def incident(self, info: strawberry.Info) -> Incident | None:
        if self.incident_id is None:
            return None
        found = await context_of(info).loaders.incident.load(self.incident_id)
        return Incident.from_domain(found) if found else None

    @classmethod
    def from_domain(cls, alert: alert_model.Alert) -> Alert:
        return cls(
            id=strawberry.ID(alert.id),
            summary=alert.summary,
            description=alert.description,
            source=alert.source,
            service_id=strawberry.ID(alert.service_id),
            service_name=alert.service,
            severity=alert.severity,
            labels=Labels(alert.labels),
            dedup_key=alert.dedup_key,
            occurred_at=alert.occurred_at,
            received_at=alert.received_at,
            status=alert.status,
            count=alert.count,
            first_seen_at=alert.first_seen_at,
            last_seen_at=alert.last_seen_at,
            resolved_at=alert.resolved_at,
            incident_id=strawberry.ID(alert.incident_id) if alert.incident_id else None,
            links=[Link(href=link.href, text=link.text) for link in alert.links],
            details=JSONObject(alert.details),
            suppression=Suppression(
                kind=alert.suppression.kind,
                id=strawberry.ID(alert.suppression.id),
                name=alert.suppression.name,
            )
            if alert.suppression
            else None,
            correlation=AlertCorrelation.from_domain(alert.correlation)
            if alert.correlation
            else None,
        )


@strawberry.type
class TimelineEntry:
    id: strawberry.ID
    at: datetime
    kind: TimelineKind
    actor: str = strawberry.field(
        description="Who did it: 'user:<name>', 'integration_key:<name>' or 'system:<what>'."
    )
    message: str
    alert_ids: list[strawberry.ID]

    @classmethod
    def from_domain(cls, entry: incident_model.TimelineEntry) -> TimelineEntry:
        alert_ids: list[Any] = entry.details.get("alert_ids", [])
        return cls(
            id=strawberry.ID(entry.id),
            at=entry.at,
            kind=entry.kind,
            actor=entry.actor,
            message=entry.message,
            alert_ids=[strawberry.ID(a) for a in alert_ids],
        )


@strawberry.type
class Incident:
    id: strawberry.ID
    number: int
    title: str
    status: IncidentStatus
    severity: Severity
    service_id: strawberry.ID
    created_at: datetime
    first_event_at: datetime = strawberry.field(description="Event time of its earliest alert.")
    last_event_at: datetime = strawberry.field(description="Event time of its latest alert.")
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    alert_count: int
    open_alert_count: int = strawberry.field(description="Alerts still firing.")

    @strawberry.field
    async def service(self, info: strawberry.Info) -> Service:
        return await _service(info, self.service_id)

    @strawberry.field
    async def alerts(
        self, info: strawberry.Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Alert]:
        page = await context_of(info).loaders.alert_page.load((self.id, first, after))
        return connection(page, Alert.from_domain)

    @strawberry.field
    async def timeline(
        self, info: strawberry.Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[TimelineEntry]:
        page = await context_of(info).loaders.timeline_page.load((self.id, first, after))
        return connection(page, TimelineEntry.from_domain)

    @strawberry.field(description="Where its escalation stands; null if it never escalated.")
    async def escalation(
        self, info: strawberry.Info
    ) -> Annotated[Escalation, strawberry.lazy("api.schema.escalation")] | None:
        from api.schema.escalation import escalation_of

        return await escalation_of(info, self.id)

    @strawberry.field(description="Every page sent (or tried) about it, with delivery logs.")
    async def notifications(self, info: strawberry.Info) -> list[Notification]:
        entries = await context_of(info).loaders.notifications.load(self.id)
        return [Notification.from_domain(e) for e in entries]

    @classmethod
    def from_domain(cls, incident: incident_model.Incident) -> Incident:
        return cls(
            id=strawberry.ID(incident.id),
            number=incident.number,
            title=incident.title,
            status=incident.status,
            severity=incident.severity,
            service_id=strawberry.ID(incident.service_id),
            created_at=incident.created_at,
            first_event_at=incident.first_event_at,
            last_event_at=incident.last_event_at,
            acknowledged_at=incident.acknowledged_at,
            acknowledged_by=incident.acknowledged_by,
            resolved_at=incident.resolved_at,
            resolved_by=incident.resolved_by,
            alert_count=incident.alert_count,
            open_alert_count=incident.open_alert_count,
        )


@strawberry.input
class IncidentFilter:
    status: list[IncidentStatus] | None = None
    service_ids: list[strawberry.ID] | None = None
    since: datetime | None = strawberry.field(
        default=None, description="Only incidents created at or after."
    )

    def to_domain(self) -> incident_model.IncidentFilter:
        return incident_model.IncidentFilter(
            statuses=tuple(self.status or ()),
            service_ids=tuple(self.service_ids or ()),
            since=self.since,
        )


@strawberry.input
class AlertFilter:
    service_ids: list[strawberry.ID] | None = None
    status: list[AlertStatus] | None = None
    suppressed: bool | None = strawberry.field(
        default=None, description="true: only suppressed alerts; false: only the others."
    )

    def to_domain(self) -> alert_model.AlertFilter:
        return alert_model.AlertFilter(
            service_ids=tuple(self.service_ids or ()),
            statuses=tuple(self.status or ()),
            suppressed=self.suppressed,
        )
