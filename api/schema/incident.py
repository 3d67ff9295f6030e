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
from api.schema.enums import AlertStatus, IncidentStatus, Priority, Severity, TimelineKind
from api.schema.explanation import AlertCorrelation
from api.schema.pagination import Connection, connection
from api.schema.scalars import JSONObject, Labels
from api.schema.service import Service
from domain.alert import model as alert_model
from domain.errors import NotFoundError
from domain.incident import model as incident_model
from domain.noise.model import SuppressionKind
from domain.response.model import IncidentResponse
from domain.response.timeline import TimelineFilter as DomainTimelineFilter
from domain.store.pagination import DEFAULT_PAGE_SIZE, PageRequest

if TYPE_CHECKING:
    from api.schema.context import IncidentContext
    from api.schema.escalation import Escalation
    from api.schema.postmortem import Postmortem
    from api.schema.response import CustomFieldValue, IncidentRoleAssignment, IncidentType
    from api.schema.stakeholder import StatusUpdate
    from api.schema.user import User


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
    pinned: bool = strawberry.field(description="Pinned notes stay on top of the war room.")
    pinned_at: datetime | None
    pinned_by: str | None

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
            pinned=entry.pinned_at is not None,
            pinned_at=entry.pinned_at,
            pinned_by=entry.pinned_by,
        )


@strawberry.input
class TimelineFilter:
    kinds: list[TimelineKind] | None = None
    pinned_only: bool = strawberry.field(default=False, description="Only pinned notes.")

    def to_domain(self) -> DomainTimelineFilter:
        return DomainTimelineFilter(kinds=tuple(self.kinds or ()), pinned_only=self.pinned_only)


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
    resolution_note: str | None = strawberry.field(
        description="What the resolver wrote about the cause and the fix."
    )
    alert_count: int
    open_alert_count: int = strawberry.field(description="Alerts still firing.")
    priority: Priority | None = strawberry.field(
        description="How urgent the response is, set by people (severity comes from alerts)."
    )
    response: strawberry.Private[IncidentResponse]

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
        self,
        info: strawberry.Info,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        filter: TimelineFilter | None = None,
    ) -> Connection[TimelineEntry]:
        """Oldest first; a filter keeps some kinds, or pinned notes only."""
        context = context_of(info)
        if filter is None:
            page = await context.loaders.timeline_page.load((self.id, first, after))
        else:
            page = await context.container.response.timeline.page(
                context.principal, self.id, filter.to_domain(), PageRequest(first, after)
            )
        return connection(page, TimelineEntry.from_domain)

    @strawberry.field(description="Who holds which role; at most one holder per role.")
    async def roles(
        self, info: strawberry.Info
    ) -> list[Annotated[IncidentRoleAssignment, strawberry.lazy("api.schema.response")]]:
        from api.schema.response import role_assignments

        return await role_assignments(info, self.response)

    @strawberry.field(description="The people responding, in the order they joined.")
    async def responders(
        self, info: strawberry.Info
    ) -> list[Annotated[User, strawberry.lazy("api.schema.user")]]:
        from api.schema.response import responders

        return await responders(info, self.response)

    @strawberry.field(name="type", description="Its incident type, if one was set.")
    async def incident_type(
        self, info: strawberry.Info
    ) -> Annotated[IncidentType, strawberry.lazy("api.schema.response")] | None:
        from api.schema.response import incident_type

        return await incident_type(info, self.response)

    @strawberry.field(description="Custom field values set on it.")
    async def custom_fields(
        self, info: strawberry.Info
    ) -> list[Annotated[CustomFieldValue, strawberry.lazy("api.schema.response")]]:
        from api.schema.response import custom_fields

        return await custom_fields(info, self.response)

    @strawberry.field(description="Where its escalation stands; null if it never escalated.")
    async def escalation(
        self, info: strawberry.Info
    ) -> Annotated[Escalation, strawberry.lazy("api.schema.escalation")] | None:
        from api.schema.escalation import escalation_of

        return await escalation_of(info, self.id)

    @strawberry.field(description="Its postmortem; null until one is created.")
    async def postmortem(
        self, info: strawberry.Info
    ) -> Annotated[Postmortem, strawberry.lazy("api.schema.postmortem")] | None:
        from api.schema.postmortem import postmortem_of

        return await postmortem_of(info, self.id)

    @strawberry.field(description="Its stakeholder updates, newest first.")
    async def status_updates(
        self, info: strawberry.Info
    ) -> list[Annotated[StatusUpdate, strawberry.lazy("api.schema.stakeholder")]]:
        from api.schema.stakeholder import status_updates_of

        return await status_updates_of(info, self.id)

    @strawberry.field(
        description="What a responder needs besides the incident: alerts with their links, "
        "the service's recent history, similar past incidents, recent changes, runbooks."
    )
    async def context(
        self,
        info: strawberry.Info,
        change_window_minutes: float = 60,
        similar: int = 5,
        history: int = 5,
    ) -> Annotated[IncidentContext, strawberry.lazy("api.schema.context")]:
        from api.schema.context import context_of_incident

        return await context_of_incident(
            info,
            self.id,
            change_window_minutes=change_window_minutes,
            similar=similar,
            history=history,
        )

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
            resolution_note=incident.resolution_note,
            alert_count=incident.alert_count,
            open_alert_count=incident.open_alert_count,
            priority=incident.response.priority,
            response=incident.response,
        )


@strawberry.input
class IncidentFilter:
    status: list[IncidentStatus] | None = None
    service_ids: list[strawberry.ID] | None = None
    since: datetime | None = strawberry.field(
        default=None, description="Only incidents created at or after."
    )
    priorities: list[Priority] | None = None

    def to_domain(self) -> incident_model.IncidentFilter:
        return incident_model.IncidentFilter(
            statuses=tuple(self.status or ()),
            service_ids=tuple(self.service_ids or ()),
            since=self.since,
            priorities=tuple(self.priorities or ()),
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
