"""Status pages in GraphQL, the team's part: pages, components, public incidents and
maintenance as those who manage them see them (internal ids included)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.statuspage_enums import ComponentStatus, Impact, PublicIncidentState
from domain.statuspage import model
from domain.statuspage.model import ComponentDraft, MaintenanceDraft, PublicIncidentDraft


@strawberry.type
class StatusPageComponent:
    id: strawberry.ID
    page_id: strawberry.ID
    name: str
    description: str
    group_id: strawberry.ID | None
    service_ids: list[strawberry.ID]
    status: ComponentStatus
    status_changed_at: datetime

    @classmethod
    def from_domain(cls, c: model.Component) -> StatusPageComponent:
        return cls(
            id=strawberry.ID(c.id),
            page_id=strawberry.ID(c.page_id),
            name=c.name,
            description=c.description,
            group_id=None if c.group_id is None else strawberry.ID(c.group_id),
            service_ids=[strawberry.ID(s) for s in c.service_ids],
            status=c.status,
            status_changed_at=c.status_changed_at,
        )


@strawberry.type
class StatusPageComponentGroup:
    id: strawberry.ID
    page_id: strawberry.ID
    name: str

    @classmethod
    def from_domain(cls, g: model.ComponentGroup) -> StatusPageComponentGroup:
        return cls(id=strawberry.ID(g.id), page_id=strawberry.ID(g.page_id), name=g.name)


@strawberry.type
class StatusPageIncidentUpdate:
    id: strawberry.ID
    body: str
    state: PublicIncidentState
    at: datetime
    author: str


@strawberry.type
class StatusPageIncident:
    id: strawberry.ID
    page_id: strawberry.ID
    title: str
    impact: Impact
    state: PublicIncidentState
    component_ids: list[strawberry.ID]
    internal_incident_id: strawberry.ID | None = strawberry.field(
        description="The internal incident it reports on: never shown publicly."
    )
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None

    @classmethod
    def from_domain(cls, i: model.PublicIncident) -> StatusPageIncident:
        return cls(
            id=strawberry.ID(i.id),
            page_id=strawberry.ID(i.page_id),
            title=i.title,
            impact=i.impact,
            state=i.state,
            component_ids=[strawberry.ID(c) for c in i.component_ids],
            internal_incident_id=None
            if i.internal_incident_id is None
            else strawberry.ID(i.internal_incident_id),
            created_at=i.created_at,
            updated_at=i.updated_at,
            resolved_at=i.resolved_at,
        )

    @strawberry.field(description="Newest first.")
    async def updates(self, info: strawberry.Info) -> list[StatusPageIncidentUpdate]:
        context = context_of(info)
        found = await context.container.status_pages.incidents.updates_of(
            context.principal, [self.id]
        )
        return [
            StatusPageIncidentUpdate(
                id=strawberry.ID(u.id), body=u.body, state=u.state, at=u.at, author=u.actor
            )
            for u in found[self.id]
        ]


@strawberry.type
class StatusPageMaintenance:
    id: strawberry.ID
    page_id: strawberry.ID
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    component_ids: list[strawberry.ID]

    @classmethod
    def from_domain(cls, m: model.ScheduledMaintenance) -> StatusPageMaintenance:
        return cls(
            id=strawberry.ID(m.id),
            page_id=strawberry.ID(m.page_id),
            title=m.title,
            description=m.description,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            component_ids=[strawberry.ID(c) for c in m.component_ids],
        )


@strawberry.type
class StatusPage:
    id: strawberry.ID
    slug: str
    title: str
    description: str
    created_at: datetime

    @classmethod
    def from_domain(cls, page: model.StatusPage) -> StatusPage:
        return cls(
            id=strawberry.ID(page.id),
            slug=page.slug,
            title=page.title,
            description=page.description,
            created_at=page.created_at,
        )

    @strawberry.field
    async def groups(self, info: strawberry.Info) -> list[StatusPageComponentGroup]:
        context = context_of(info)
        found = await context.container.status_pages.pages.groups_of(context.principal, self.id)
        return [StatusPageComponentGroup.from_domain(g) for g in found]

    @strawberry.field
    async def components(self, info: strawberry.Info) -> list[StatusPageComponent]:
        context = context_of(info)
        found = await context.container.status_pages.pages.components_of(context.principal, self.id)
        return [StatusPageComponent.from_domain(c) for c in found]

    @strawberry.field(description="Unresolved, and resolved in the last 14 days.")
    async def incidents(self, info: strawberry.Info) -> list[StatusPageIncident]:
        context = context_of(info)
        found = await context.container.status_pages.incidents.of_page(context.principal, self.id)
        return [StatusPageIncident.from_domain(i) for i in found]

    @strawberry.field
    async def maintenance(self, info: strawberry.Info) -> list[StatusPageMaintenance]:
        context = context_of(info)
        found = await context.container.status_pages.maintenance.of_page(context.principal, self.id)
        return [StatusPageMaintenance.from_domain(m) for m in found]

    @strawberry.field(description="Subscribers who confirmed their address.")
    async def confirmed_subscribers(self, info: strawberry.Info) -> int:
        context = context_of(info)
        counts = await context.container.status_pages.subscriptions.count(
            context.principal, self.id
        )
        return counts[model.SubscriberState.CONFIRMED]


@strawberry.input
class StatusPageInput:
    slug: str
    title: str
    description: str = ""


@strawberry.input(description="Fields left out stay as they are. The slug never changes.")
class UpdateStatusPageInput:
    title: str | None = None
    description: str | None = None


@strawberry.input
class StatusPageComponentInput:
    name: str
    description: str = ""
    group_id: strawberry.ID | None = None
    service_ids: list[strawberry.ID] = strawberry.field(default_factory=list)

    def to_draft(self) -> ComponentDraft:
        return ComponentDraft(self.name, self.description, self.group_id, tuple(self.service_ids))


@strawberry.input
class ComponentStatusInput:
    component_id: strawberry.ID
    status: ComponentStatus


@strawberry.input
class PublicIncidentInput:
    page_id: strawberry.ID
    title: str
    body: str = strawberry.field(description="The first update's text.")
    impact: Impact = Impact.MINOR
    state: PublicIncidentState = PublicIncidentState.INVESTIGATING
    component_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    internal_incident_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Updates written there for the PUBLIC audience are posted here too.",
    )

    def to_draft(self) -> PublicIncidentDraft:
        return PublicIncidentDraft(
            page_id=self.page_id,
            title=self.title,
            body=self.body,
            impact=self.impact,
            state=self.state,
            component_ids=tuple(self.component_ids),
            internal_incident_id=self.internal_incident_id,
        )


@strawberry.input
class MaintenanceInput:
    page_id: strawberry.ID
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    component_ids: list[strawberry.ID] = strawberry.field(default_factory=list)

    def to_draft(self) -> MaintenanceDraft:
        return MaintenanceDraft(
            page_id=self.page_id,
            title=self.title,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            description=self.description,
            component_ids=tuple(self.component_ids),
        )
