"""Status pages in GraphQL: public fields anyone may read, and management for the team.

The public fields (`publicStatusPage`, `subscribeToStatusPage`, `statusPageEvents`) never
ask who is calling, so they answer without credentials; they render only the public
view (domain/statuspage/public.py). Every other field here checks its caller's role.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime

import strawberry

from api.schema.access import context_of
from api.schema.live_delivery import LiveSender, current_operation
from api.schema.shared_execution import IdentityMemo
from domain.statuspage import model, public
from domain.statuspage.ports import StatusEventKind
from domain.statuspage.ports import StatusPageEvent as DomainEvent
from domain.statuspage.service import ComponentDraft, MaintenanceDraft, PublicIncidentDraft

strawberry.enum(model.ComponentStatus, name="ComponentStatus")
strawberry.enum(model.PublicIncidentState, name="PublicIncidentState")
strawberry.enum(model.Impact, name="PublicIncidentImpact")
strawberry.enum(model.SubscriberKind, name="StatusSubscriberKind")
strawberry.enum(StatusEventKind, name="StatusPageEventKind")


# -- the public view --------------------------------------------------------------------


@strawberry.type(description="One UTC day of a component's history.")
class UptimeDay:
    date: date
    worst: model.ComponentStatus | None = strawberry.field(
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
    status: model.ComponentStatus
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
    status: model.ComponentStatus
    components: list[PublicComponent]


@strawberry.type
class PublicIncidentUpdate:
    id: strawberry.ID
    body: str
    state: model.PublicIncidentState
    at: datetime


@strawberry.type
class PublicIncident:
    id: strawberry.ID
    title: str
    impact: model.Impact
    state: model.PublicIncidentState
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


@strawberry.type(description="A status page as anyone may see it: no credentials needed.")
class PublicStatusPage:
    slug: str
    title: str
    description: str
    status: model.ComponentStatus = strawberry.field(description="The worst of its components.")
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
            groups=[
                PublicComponentGroup(
                    id=strawberry.ID(g.id),
                    name=g.name,
                    status=g.status,
                    components=[PublicComponent.from_view(c) for c in g.components],
                )
                for g in view.groups
            ],
            components=[PublicComponent.from_view(c) for c in view.ungrouped],
            incidents=[PublicIncident.from_view(i) for i in view.incidents],
            past_incidents=[PublicIncident.from_view(i) for i in view.past_incidents],
            maintenance=[
                PublicMaintenance(
                    id=strawberry.ID(m.id),
                    title=m.title,
                    description=m.description,
                    starts_at=m.starts_at,
                    ends_at=m.ends_at,
                    active=m.active,
                    affected=m.affected,
                )
                for m in view.maintenance
            ],
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


_event_values: IdentityMemo[StatusPageEvent] = IdentityMemo()


def _event_value(event: DomainEvent) -> StatusPageEvent:
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


# -- management -------------------------------------------------------------------------


@strawberry.type
class StatusPageComponent:
    id: strawberry.ID
    page_id: strawberry.ID
    name: str
    description: str
    group_id: strawberry.ID | None
    service_ids: list[strawberry.ID]
    status: model.ComponentStatus
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
    state: model.PublicIncidentState
    at: datetime
    author: str


@strawberry.type
class StatusPageIncident:
    id: strawberry.ID
    page_id: strawberry.ID
    title: str
    impact: model.Impact
    state: model.PublicIncidentState
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
        found = await context.container.status_pages.updates_of(context.principal, [self.id])
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
        found = await context.container.status_pages.groups_of(context.principal, self.id)
        return [StatusPageComponentGroup.from_domain(g) for g in found]

    @strawberry.field
    async def components(self, info: strawberry.Info) -> list[StatusPageComponent]:
        context = context_of(info)
        found = await context.container.status_pages.components_of(context.principal, self.id)
        return [StatusPageComponent.from_domain(c) for c in found]

    @strawberry.field(description="Unresolved, and resolved in the last 14 days.")
    async def incidents(self, info: strawberry.Info) -> list[StatusPageIncident]:
        context = context_of(info)
        found = await context.container.status_pages.incidents_of(context.principal, self.id)
        return [StatusPageIncident.from_domain(i) for i in found]

    @strawberry.field
    async def maintenance(self, info: strawberry.Info) -> list[StatusPageMaintenance]:
        context = context_of(info)
        found = await context.container.status_pages.maintenance_of(context.principal, self.id)
        return [StatusPageMaintenance.from_domain(m) for m in found]

    @strawberry.field(description="Subscribers who confirmed their address.")
    async def confirmed_subscribers(self, info: strawberry.Info) -> int:
        context = context_of(info)
        counts = await context.container.status_pages.subscriber_counts(context.principal, self.id)
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
    status: model.ComponentStatus


@strawberry.input
class PublicIncidentInput:
    page_id: strawberry.ID
    title: str
    body: str = strawberry.field(description="The first update's text.")
    impact: model.Impact = model.Impact.MINOR
    state: model.PublicIncidentState = model.PublicIncidentState.INVESTIGATING
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


@strawberry.type
class StatusPageQuery:
    @strawberry.field(description="Public: no credentials needed.")
    async def public_status_page(self, info: strawberry.Info, slug: str) -> PublicStatusPage:
        view = await context_of(info).container.status_pages.public_page(slug)
        return PublicStatusPage.from_view(view)

    @strawberry.field
    async def status_pages(self, info: strawberry.Info) -> list[StatusPage]:
        context = context_of(info)
        pages = await context.container.status_pages.pages(context.principal)
        return [StatusPage.from_domain(p) for p in pages]

    @strawberry.field
    async def status_page(self, info: strawberry.Info, id: strawberry.ID) -> StatusPage:
        context = context_of(info)
        page = await context.container.status_pages.page(context.principal, id)
        return StatusPage.from_domain(page)


@strawberry.type
class StatusPageMutation:
    @strawberry.mutation(
        description="Public: no credentials needed. Sends a confirm link; nothing else is "
        "sent to the address until it is followed."
    )
    async def subscribe_to_status_page(
        self, info: strawberry.Info, slug: str, kind: model.SubscriberKind, address: str
    ) -> StatusSubscriptionResult:
        subscription = await context_of(info).container.status_pages.subscriptions.subscribe(
            slug, kind, address
        )
        # The same answer either way: nobody learns whether an address already subscribed.
        message = "Unless this address already gets updates, a confirm link is on its way."
        return StatusSubscriptionResult(message=message, signing_secret=subscription.signing_secret)

    @strawberry.mutation
    async def create_status_page(self, info: strawberry.Info, input: StatusPageInput) -> StatusPage:
        context = context_of(info)
        page = await context.container.status_pages.create_page(
            context.principal, slug=input.slug, title=input.title, description=input.description
        )
        return StatusPage.from_domain(page)

    @strawberry.mutation
    async def update_status_page(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdateStatusPageInput
    ) -> StatusPage:
        context = context_of(info)
        page = await context.container.status_pages.update_page(
            context.principal, id, title=input.title, description=input.description
        )
        return StatusPage.from_domain(page)

    @strawberry.mutation(description="With its components, incidents and subscribers.")
    async def delete_status_page(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.delete_page(context.principal, id)
        return True

    @strawberry.mutation
    async def create_component_group(
        self, info: strawberry.Info, page_id: strawberry.ID, name: str
    ) -> StatusPageComponentGroup:
        context = context_of(info)
        group = await context.container.status_pages.create_group(context.principal, page_id, name)
        return StatusPageComponentGroup.from_domain(group)

    @strawberry.mutation(description="Its components stay, in no group.")
    async def delete_component_group(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.delete_group(context.principal, id)
        return True

    @strawberry.mutation
    async def create_component(
        self, info: strawberry.Info, page_id: strawberry.ID, input: StatusPageComponentInput
    ) -> StatusPageComponent:
        context = context_of(info)
        component = await context.container.status_pages.create_component(
            context.principal, page_id, input.to_draft()
        )
        return StatusPageComponent.from_domain(component)

    @strawberry.mutation
    async def update_component(
        self, info: strawberry.Info, id: strawberry.ID, input: StatusPageComponentInput
    ) -> StatusPageComponent:
        context = context_of(info)
        component = await context.container.status_pages.update_component(
            context.principal, id, input.to_draft()
        )
        return StatusPageComponent.from_domain(component)

    @strawberry.mutation
    async def delete_component(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.delete_component(context.principal, id)
        return True

    @strawberry.mutation(
        description="Set components' statuses; with `incidentId`, recorded on that incident's "
        "timeline."
    )
    async def set_component_statuses(
        self,
        info: strawberry.Info,
        statuses: list[ComponentStatusInput],
        incident_id: strawberry.ID | None = None,
    ) -> list[StatusPageComponent]:
        context = context_of(info)
        changed = await context.container.status_pages.set_component_statuses(
            context.principal,
            [(s.component_id, s.status) for s in statuses],
            incident_id=incident_id,
        )
        return [StatusPageComponent.from_domain(c) for c in changed]

    @strawberry.mutation(description="Open a public incident; confirmed subscribers are told.")
    async def open_public_incident(
        self, info: strawberry.Info, input: PublicIncidentInput
    ) -> StatusPageIncident:
        context = context_of(info)
        incident = await context.container.status_pages.open_incident(
            context.principal, input.to_draft()
        )
        return StatusPageIncident.from_domain(incident)

    @strawberry.mutation(
        description="Post an update; `state` left out keeps the current one. Confirmed "
        "subscribers are told."
    )
    async def post_public_incident_update(
        self,
        info: strawberry.Info,
        id: strawberry.ID,
        body: str,
        state: model.PublicIncidentState | None = None,
    ) -> StatusPageIncident:
        context = context_of(info)
        incident = await context.container.status_pages.post_update(
            context.principal, id, body=body, state=state
        )
        return StatusPageIncident.from_domain(incident)

    @strawberry.mutation(description="Shown as under maintenance while active.")
    async def schedule_maintenance(
        self, info: strawberry.Info, input: MaintenanceInput
    ) -> StatusPageMaintenance:
        context = context_of(info)
        maintenance = await context.container.status_pages.schedule_maintenance(
            context.principal, input.to_draft()
        )
        return StatusPageMaintenance.from_domain(maintenance)

    @strawberry.mutation
    async def cancel_maintenance(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.cancel_maintenance(context.principal, id)
        return True


@strawberry.type
class StatusPageSubscription:
    @strawberry.subscription(
        description="Public: no credentials needed. Each public change to the page."
    )
    async def status_page_events(
        self, info: strawberry.Info, slug: str
    ) -> AsyncGenerator[StatusPageEvent, None]:
        context = context_of(info)
        page_id = await context.container.status_pages.page_id_of(slug)
        async with context.container.status_hub.subscribe(
            lambda event: event.page_id == page_id
        ) as subscriber:
            live = current_operation.get()
            if live is None:
                async for event in subscriber.events():
                    yield _event_value(event)
            else:
                sender = LiveSender(live, info.schema._schema, context)
                await sender.send_each(subscriber.events(), _event_value, context.refresh_loaders)
