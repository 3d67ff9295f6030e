"""Integration keys of a service in GraphQL: list and delete them (createIntegrationKey
issues them, in api/schema/mutation.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import CACHE_SECONDS
from api.schema.access import context_of
from domain.integration import model


@strawberry.type(description="An integration key; its secret was shown once, when created.")
class IntegrationKey:
    id: strawberry.ID
    name: str
    service_id: strawberry.ID | None = strawberry.field(
        description="The one service it sends alerts to; null: alerts name their own service."
    )
    created_at: datetime

    @classmethod
    def from_domain(cls, key: model.IntegrationKey) -> IntegrationKey:
        return cls(
            id=strawberry.ID(key.id),
            name=key.name,
            service_id=strawberry.ID(key.service_id) if key.service_id else None,
            created_at=key.created_at,
        )


@strawberry.type
class IntegrationKeyQuery:
    @strawberry.field(
        description="The keys bound to `serviceId` (needs the manager role in the service's "
        "team); without it, the keys bound to no service (admins only)."
    )
    async def integration_keys(
        self, info: strawberry.Info, service_id: strawberry.ID | None = None
    ) -> list[IntegrationKey]:
        context = context_of(info)
        keys = await context.container.integration_keys.of_service(context.principal, service_id)
        return [IntegrationKey.from_domain(k) for k in keys]


@strawberry.type
class IntegrationKeyMutation:
    @strawberry.mutation(
        description="Alerts sent with the key are refused from now on (within "
        f"{CACHE_SECONDS:.0f} seconds on other replicas). Needs the manager role in its "
        "service's team; admins for keys bound to no service."
    )
    async def delete_integration_key(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        key = await context.container.integration_keys.delete(context.principal, id)
        context.authenticator.forget(key.secret_hash)
        return True
