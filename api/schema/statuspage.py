"""Status pages in GraphQL: public fields anyone may read, and management for the team.

The public fields (`publicStatusPage`, `subscribeToStatusPage`, `statusPageEvents`) never
ask who is calling, so they answer without credentials; they render only the public
view (api/schema/statuspage_public.py). Every other field here checks its caller's role.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.schema.access import context_of
from api.schema.live_delivery import LiveSender, current_operation
from api.schema.statuspage_enums import PublicIncidentState, SubscriberKind
from api.schema.statuspage_management import (
    ComponentStatusInput,
    MaintenanceInput,
    PublicIncidentInput,
    StatusPage,
    StatusPageComponent,
    StatusPageComponentGroup,
    StatusPageComponentInput,
    StatusPageIncident,
    StatusPageInput,
    StatusPageMaintenance,
    UpdateStatusPageInput,
)
from api.schema.statuspage_public import (
    PublicStatusPage,
    StatusPageEvent,
    StatusSubscriptionResult,
    event_value,
)


@strawberry.type
class StatusPageQuery:
    @strawberry.field(description="Public: no credentials needed.")
    async def public_status_page(self, info: strawberry.Info, slug: str) -> PublicStatusPage:
        view = await context_of(info).container.status_pages.views.page(slug)
        return PublicStatusPage.from_view(view)

    @strawberry.field
    async def status_pages(self, info: strawberry.Info) -> list[StatusPage]:
        context = context_of(info)
        pages = await context.container.status_pages.pages.all(context.principal)
        return [StatusPage.from_domain(p) for p in pages]

    @strawberry.field
    async def status_page(self, info: strawberry.Info, id: strawberry.ID) -> StatusPage:
        context = context_of(info)
        page = await context.container.status_pages.pages.get(context.principal, id)
        return StatusPage.from_domain(page)


@strawberry.type
class StatusPageMutation:
    @strawberry.mutation(
        description="Public: no credentials needed. Sends a confirm link; nothing else is "
        "sent to the address until it is followed."
    )
    async def subscribe_to_status_page(
        self, info: strawberry.Info, slug: str, kind: SubscriberKind, address: str
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
        page = await context.container.status_pages.pages.create(
            context.principal, slug=input.slug, title=input.title, description=input.description
        )
        return StatusPage.from_domain(page)

    @strawberry.mutation
    async def update_status_page(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdateStatusPageInput
    ) -> StatusPage:
        context = context_of(info)
        page = await context.container.status_pages.pages.update(
            context.principal, id, title=input.title, description=input.description
        )
        return StatusPage.from_domain(page)

    @strawberry.mutation(description="With its components, incidents and subscribers.")
    async def delete_status_page(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.pages.delete(context.principal, id)
        return True

    @strawberry.mutation
    async def create_component_group(
        self, info: strawberry.Info, page_id: strawberry.ID, name: str
    ) -> StatusPageComponentGroup:
        context = context_of(info)
        group = await context.container.status_pages.pages.create_group(
            context.principal, page_id, name
        )
        return StatusPageComponentGroup.from_domain(group)

    @strawberry.mutation(description="Its components stay, in no group.")
    async def delete_component_group(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.pages.delete_group(context.principal, id)
        return True

    @strawberry.mutation
    async def create_component(
        self, info: strawberry.Info, page_id: strawberry.ID, input: StatusPageComponentInput
    ) -> StatusPageComponent:
        context = context_of(info)
        component = await context.container.status_pages.pages.create_component(
            context.principal, page_id, input.to_draft()
        )
        return StatusPageComponent.from_domain(component)

    @strawberry.mutation
    async def update_component(
        self, info: strawberry.Info, id: strawberry.ID, input: StatusPageComponentInput
    ) -> StatusPageComponent:
        context = context_of(info)
        component = await context.container.status_pages.pages.update_component(
            context.principal, id, input.to_draft()
        )
        return StatusPageComponent.from_domain(component)

    @strawberry.mutation
    async def delete_component(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.pages.delete_component(context.principal, id)
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
        changed = await context.container.status_pages.statuses.set(
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
        incident = await context.container.status_pages.incidents.open(
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
        state: PublicIncidentState | None = None,
    ) -> StatusPageIncident:
        context = context_of(info)
        incident = await context.container.status_pages.incidents.post_update(
            context.principal, id, body=body, state=state
        )
        return StatusPageIncident.from_domain(incident)

    @strawberry.mutation(description="Shown as under maintenance while active.")
    async def schedule_maintenance(
        self, info: strawberry.Info, input: MaintenanceInput
    ) -> StatusPageMaintenance:
        context = context_of(info)
        maintenance = await context.container.status_pages.maintenance.schedule(
            context.principal, input.to_draft()
        )
        return StatusPageMaintenance.from_domain(maintenance)

    @strawberry.mutation
    async def cancel_maintenance(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.status_pages.maintenance.cancel(context.principal, id)
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
        page_id = await context.container.status_pages.views.page_id_of(slug)
        async with context.container.status_hub.subscribe(
            lambda event: event.page_id == page_id
        ) as subscriber:
            live = current_operation.get()
            if live is None:
                async for event in subscriber.events():
                    yield event_value(event)
            else:
                sender = LiveSender(live, info.schema._schema, context)
                await sender.send_each(subscriber.events(), event_value, context.refresh_loaders)
