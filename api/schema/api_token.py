"""A user's API tokens in GraphQL: list and revoke them (createApiToken issues them, in
api/schema/mutation.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import USER_CACHE_SECONDS
from api.schema.access import context_of
from domain.user import model


@strawberry.type(description="An API token; its secret was shown once, when created.")
class ApiToken:
    id: strawberry.ID
    name: str
    user_id: strawberry.ID
    created_at: datetime

    @classmethod
    def from_domain(cls, token: model.ApiToken) -> ApiToken:
        return cls(
            id=strawberry.ID(token.id),
            name=token.name,
            user_id=strawberry.ID(token.user_id),
            created_at=token.created_at,
        )


@strawberry.type
class ApiTokenQuery:
    @strawberry.field(
        description="A user's API tokens, oldest first: your own (without `userId`), or "
        "anyone's as an admin."
    )
    async def api_tokens(
        self, info: strawberry.Info, user_id: strawberry.ID | None = None
    ) -> list[ApiToken]:
        context = context_of(info)
        principal = context.principal
        tokens = await context.container.users.tokens(principal, user_id or principal.id)
        return [ApiToken.from_domain(t) for t in tokens]


@strawberry.type
class ApiTokenMutation:
    @strawberry.mutation(
        description="Requests with the token are refused from now on (within "
        f"{USER_CACHE_SECONDS:.0f} seconds on other replicas). Your own tokens, or anyone's "
        "as an admin."
    )
    async def revoke_api_token(self, info: strawberry.Info, id: strawberry.ID) -> ApiToken:
        context = context_of(info)
        token = await context.container.users.revoke_token(context.principal, id)
        context.authenticator.forget(token.secret_hash)
        return ApiToken.from_domain(token)
