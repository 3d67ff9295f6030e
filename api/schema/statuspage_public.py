"""Status pages in GraphQL, the public part: what anyone may read without credentials.

These types render only the public view (domain/statuspage/public.py).
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from api.schema.shared_execution import IdentityMemo
from api.schema.statuspage_enums import (
    ComponentStatus,
    Impact,
    PublicIncidentState,
    StatusEventKind,
)
from domain.statuspage import public
from domain.statuspage.ports import StatusPageEvent as DomainEvent


@strawberry.type(description="One UTC day of a component's history.")
class UptimeDay:
    date: date
    worst: ComponentStatus | None = strawberry.field(
        description="The worst status that day; null before the component existed."
    )
    operational_percent: float | None = strawberry.field(
        description="Share of the day it was up (maintenance counts as up)."
    )


@strawberry.type
class PublicComponent:
    id: strawberry.ID
    name: str
    description: str
    status: ComponentStatus
    status_text: str
    uptime_percent: float | None = strawberry.field(description="Over the days shown.")
    uptime: list[UptimeDay] = strawberry.field(description="90 daily bars, oldest first.")

    @classmethod
    def from_view(cls, view: public.PublicComponentView) -> PublicComponent:
        return cls(
            id=strawberry.ID(view.id),
            name=view.name,
            description=view.description,
            status=view.status,
            status_text=view.status.label,
            uptime_percent=view.uptime_percent,
            uptime=[
                UptimeDay(date=b.day, worst=b.worst, operational_percent=b.operational_percent)
                for b in view.uptime
            ],
        )


@strawberry.type
class PublicComponentGroup:
    id: strawberry.ID
    name: str
    status: ComponentStatus
    components: list[PublicComponent]

    @classmethod
    def from_view(cls, view: public.PublicGroupView) -> PublicComponentGroup:
        return cls(
            id=strawberry.ID(view.id),
            name=view.name,
            status=view.status,
            components=[PublicComponent.from_view(c) for c in view.components],
        )


@strawberry.type
class PublicIncidentUpdate:
    id: strawberry.ID
    body: str
    state: PublicIncidentState
    at: datetime


@strawberry.type
class PublicIncident:
    id: strawberry.ID
    title: str
    impact: Impact
    state: PublicIncidentState
    affected: list[str] = strawberry.field(description="Names of the affected components.")
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    updates: list[PublicIncidentUpdate] = strawberry.field(description="Newest first.")

    @classmethod
    def from_view(cls, view: public.PublicIncidentView) -> PublicIncident:
        return cls(
            id=strawberry.ID(view.id),
            title=view.title,
            impact=view.impact,
            state=view.state,
            affected=view.affected,
            created_at=view.created_at,
            updated_at=view.updated_at,
            resolved_at=view.resolved_at,
            updates=[
                PublicIncidentUpdate(id=strawberry.ID(u.id), body=u.body, state=u.state, at=u.at)
                for u in view.updates
            ],
        )


@strawberry.type
class PublicMaintenance:
    id: strawberry.ID
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    active: bool
    affected: list[str]

    @classmethod
    def from_view(cls, view: public.PublicMaintenanceView) -> PublicMaintenance:
        return cls(
            id=strawberry.ID(view.id),
            title=view.title,
            description=view.description,
            starts_at=view.starts_at,
            ends_at=view.ends_at,
            active=view.active,
            affected=view.affected,
        )


@strawberry.type(description="A status page as anyone may see it: no credentials needed.")
class PublicStatusPage:
    slug: str
    title: str
    description: str
    status: ComponentStatus = strawberry.field(description="The worst of its components.")
    summary: str
    groups: list[PublicComponentGroup]
    components: list[PublicComponent] = strawberry.field(description="Those in no group.")
    incidents: list[PublicIncident] = strawberry.field(description="Unresolved, newest first.")
    past_incidents: list[PublicIncident] = strawberry.field(
        description="Resolved in the last 14 days, newest first."
    )
    maintenance: list[PublicMaintenance] = strawberry.field(
        description="Active and upcoming, soonest first."
    )
    generated_at: datetime

    @classmethod
    def from_view(cls, view: public.PublicStatusPage) -> PublicStatusPage:
        return cls(
            slug=view.slug,
            title=view.title,
            description=view.description,
            status=view.status,
            summary=view.summary,
            groups=[PublicComponentGroup.from_view(g) for g in view.groups],
            components=[PublicComponent.from_view(c) for c in view.ungrouped],
            incidents=[PublicIncident.from_view(i) for i in view.incidents],
            past_incidents=[PublicIncident.from_view(i) for i in view.past_incidents],
            maintenance=[PublicMaintenance.from_view(m) for m in view.maintenance],
            generated_at=view.generated_at,
        )


@strawberry.type(description="A public change to a status page; refetch the page for detail.")
class StatusPageEvent:
    kind: StatusEventKind
    slug: str
    occurred_at: datetime
    component_id: strawberry.ID | None
    component_name: str | None
    status: str | None = strawberry.field(
        description="A component's new status, or a public incident's state (lower case)."
    )
    public_incident_id: strawberry.ID | None
    title: str | None


# One value per domain event, shared by every subscriber it reaches.
_event_values: IdentityMemo[StatusPageEvent] = IdentityMemo()


def event_value(event: DomainEvent) -> StatusPageEvent:
    return _event_values.get(event) or _event_values.remember(
        event,
        StatusPageEvent(
            kind=event.kind,
            slug=event.slug,
            occurred_at=event.committed_at,
            component_id=None if event.component_id is None else strawberry.ID(event.component_id),
            component_name=event.component_name,
            status=event.status,
            public_incident_id=None
            if event.public_incident_id is None
            else strawberry.ID(event.public_incident_id),
            title=event.title,
        ),
    )


@strawberry.type
class StatusSubscriptionResult:
    message: str
    signing_secret: str | None = strawberry.field(
        description="For a new webhook subscriber: the HMAC key deliveries are signed with "
        "(Vigil-Signature header). Shown once."
    )
