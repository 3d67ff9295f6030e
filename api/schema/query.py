"""Read operations."""

from __future__ import annotations

import strawberry

from api.schema.access import context_of
from api.schema.incident import Alert, AlertFilter, Incident, IncidentFilter
from api.schema.pagination import Connection, connection
from api.schema.service import Service
from api.schema.user import User
from domain.store.pagination import DEFAULT_PAGE_SIZE, PageRequest


@strawberry.type
class Query:
    @strawberry.field(description="The user behind the API token.")
    async def me(self, info: strawberry.Info) -> User:
        context = context_of(info)
        principal = context.principal
        return User.from_domain(await context.container.users.get(principal, principal.id))

    @strawberry.field
    async def services(self, info: strawberry.Info) -> list[Service]:
        context = context_of(info)
        return [
            Service.from_domain(s) for s in await context.container.services.all(context.principal)
        ]

    @strawberry.field
    async def service(self, info: strawberry.Info, id: strawberry.ID) -> Service:
        context = context_of(info)
        return Service.from_domain(await context.container.services.get(context.principal, id))

    @strawberry.field(description="Newest first; page with `first` and `after`.")
    async def incidents(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        filter: IncidentFilter | None = None,
    ) -> Connection[Incident]:
        context = context_of(info)
        page = await context.container.incidents.page(
            context.principal,
            (filter or IncidentFilter()).to_domain(),
            PageRequest(first=first, after=after),
        )
        return connection(page, Incident.from_domain)

    @strawberry.field(description="Alerts newest first, including suppressed ones.")
    async def alerts(
        self,
        info: strawberry.Info,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        filter: AlertFilter | None = None,
    ) -> Connection[Alert]:
        context = context_of(info)
        page = await context.container.incidents.alerts(
            context.principal,
            (filter or AlertFilter()).to_domain(),
            PageRequest(first=first, after=after),
        )
        return connection(page, Alert.from_domain)

    @strawberry.field
    async def incident(self, info: strawberry.Info, id: strawberry.ID) -> Incident:
        context = context_of(info)
        return Incident.from_domain(await context.container.incidents.get(context.principal, id))
