"""Live operations over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from datetime import datetime

import strawberry

from api.context import Context
from api.schema.access import context_of
from api.schema.enums import IncidentEventKind
from api.schema.incident import Incident
from api.schema.live_delivery import LiveSender, current_operation
from api.schema.shared_execution import IdentityMemo
from domain.auth import Action
from domain.errors import ForbiddenError
from domain.events import IncidentEvent as DomainEvent
from domain.incident.model import Incident as DomainIncident


@strawberry.type
class IncidentEvent:
    kind: IncidentEventKind
    incident: Incident = strawberry.field(description="The incident as it was after the change.")
    occurred_at: datetime = strawberry.field(description="When the change was committed.")


# One GraphQL value per domain event, shared by every subscriber who receives it, so
# the executor can run each selection set once per event (api/schema/shared_execution.py).
_event_values: IdentityMemo[IncidentEvent] = IdentityMemo()
_incident_values: IdentityMemo[Incident] = IdentityMemo()


def _incident_value(event: DomainEvent) -> Incident:
    return _incident_values.get(event) or _incident_values.remember(
        event, Incident.from_domain(DomainIncident.from_document(event.incident))
    )


def _event_value(event: DomainEvent) -> IncidentEvent:
    return _event_values.get(event) or _event_values.remember(
        event,
        IncidentEvent(
            kind=event.kind, incident=_incident_value(event), occurred_at=event.committed_at
        ),
    )


@strawberry.input
class IncidentEventFilter:
    service_ids: list[strawberry.ID] | None = None
    kinds: list[IncidentEventKind] | None = None

    def accepts(self, event: DomainEvent) -> bool:
        return (not self.service_ids or event.service_id in self.service_ids) and (
            not self.kinds or event.kind in self.kinds
        )


async def _readable(
    context: Context, events: AsyncIterator[DomainEvent], *, or_stop: bool = False
) -> AsyncIterator[DomainEvent]:
    """The events the caller may read, checked again for each event so that a revoked
    token ends the stream and a revoked team role stops that team's events (`or_stop`:
    ends the stream with FORBIDDEN instead, for a subscription to one incident)."""
    async for event in events:
        principal = await context.recheck()
        if await context.container.owners.can(principal, Action.READ, event.service_id):
            yield event
        elif or_stop:
            raise ForbiddenError(
                "You may no longer read this incident, so its subscription has ended.",
                suggestion="Ask a manager of the team that owns its service for a role.",
            )


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Every change to incidents that match the filter.")
    async def incident_events(
        self, info: strawberry.Info, filter: IncidentEventFilter | None = None
    ) -> AsyncGenerator[IncidentEvent, None]:
        context = context_of(info)
        context.principal.require(Action.READ)
        wanted = filter or IncidentEventFilter()
        async with context.container.hub.subscribe(wanted.accepts) as subscriber:
            events = _readable(context, subscriber.events())
            live = current_operation.get()
            if live is None:
                async for event in events:
                    context.refresh_loaders()
                    yield _event_value(event)
            else:
                sender = LiveSender(live, info.schema._schema, context)
                await sender.send_each(events, _event_value, context.refresh_loaders)

    @strawberry.subscription(description="The incident, after each change to it.")
    async def incident(
        self, info: strawberry.Info, id: strawberry.ID
    ) -> AsyncGenerator[Incident, None]:
        context = context_of(info)
        await context.container.incidents.get(context.principal, id)
        async with context.container.hub.subscribe(
            lambda event: event.incident_id == id
        ) as subscriber:
            events = _readable(context, subscriber.events(), or_stop=True)
            live = current_operation.get()
            if live is None:
                async for event in events:
                    context.refresh_loaders()
                    yield _incident_value(event)
            else:
                sender = LiveSender(live, info.schema._schema, context)
                await sender.send_each(events, _incident_value, context.refresh_loaders)
