"""Write operations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.metrics import metered_ingest
from api.schema.access import context_of
from api.schema.incident import Incident, TimelineEntry
from api.schema.ingest import AlertInput, IngestResult, asks_for_incidents, drafts_from
from api.schema.service import CreateServiceInput, Service
from api.schema.user import (
    CreateApiTokenInput,
    CreatedApiToken,
    CreatedIntegrationKey,
    CreateIntegrationKeyInput,
    CreateUserInput,
    UpdateUserInput,
    User,
)
from domain.errors import BatchTooLargeError
from domain.incident.model import NoteDraft
from domain.ingest.model import MAX_BATCH


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_service(self, info: strawberry.Info, input: CreateServiceInput) -> Service:
        context = context_of(info)
        if input.escalation_policy_id is not None:
            await context.container.escalation.policies.require_exists(
                context.principal, input.escalation_policy_id, field="escalationPolicyId"
            )
        service = await context.container.services.create(context.principal, input.to_draft())
        return Service.from_domain(service)

    @strawberry.mutation
    async def create_integration_key(
        self, info: strawberry.Info, input: CreateIntegrationKeyInput
    ) -> CreatedIntegrationKey:
        context = context_of(info)
        issued = await context.container.integration_keys.create(
            context.principal, input.to_draft()
        )
        return CreatedIntegrationKey.from_domain(issued)

    @strawberry.mutation
    async def create_user(self, info: strawberry.Info, input: CreateUserInput) -> User:
        context = context_of(info)
        return User.from_domain(
            await context.container.users.create_user(context.principal, input.to_draft())
        )

    @strawberry.mutation(
        description="Change a user's e-mail or time zone: your own, or anyone's as an admin."
    )
    async def update_user(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdateUserInput
    ) -> User:
        context = context_of(info)
        return User.from_domain(
            await context.container.users.update_user(context.principal, id, input.to_domain())
        )

    @strawberry.mutation
    async def create_api_token(
        self, info: strawberry.Info, input: CreateApiTokenInput
    ) -> CreatedApiToken:
        context = context_of(info)
        principal = context.principal
        issued = await context.container.users.issue_token(
            principal, user_id=input.user_id or principal.id, name=input.name
        )
        return CreatedApiToken(
            id=strawberry.ID(issued.token.id),
            name=issued.token.name,
            user_id=strawberry.ID(issued.token.user_id),
            secret=issued.secret,
        )

    @strawberry.mutation(
        description=f"Store up to {MAX_BATCH} alerts, deduplicate and correlate them. Results "
        "come in the order of the input. Callable with an integration key."
    )
    async def ingest_alerts(
        self, info: strawberry.Info, alerts: list[AlertInput]
    ) -> list[IngestResult]:
        context = context_of(info)
        principal = context.principal
        if len(alerts) > MAX_BATCH:
            raise BatchTooLargeError(
                f"A call may carry at most {MAX_BATCH} alerts; this one has {len(alerts)}."
            )
        outcomes = await metered_ingest(
            context.container.ingest,
            principal,
            drafts_from(alerts),
            # A repeat's incident costs a read; a client that does not show it is spared it.
            with_incidents=asks_for_incidents(info),
        )
        return IngestResult.all_from_domain(outcomes)

    @strawberry.mutation
    async def acknowledge_incident(self, info: strawberry.Info, id: strawberry.ID) -> Incident:
        context = context_of(info)
        return Incident.from_domain(
            await context.container.incidents.acknowledge(context.principal, id)
        )

    @strawberry.mutation
    async def resolve_incident(
        self,
        info: strawberry.Info,
        id: strawberry.ID,
        resolution_note: Annotated[
            str | None,
            strawberry.argument(
                description="Cause and fix, for whoever meets this again (on the timeline too)."
            ),
        ] = None,
    ) -> Incident:
        context = context_of(info)
        return Incident.from_domain(
            await context.container.incidents.resolve(context.principal, id, resolution_note)
        )

    @strawberry.mutation
    async def add_incident_note(
        self, info: strawberry.Info, id: strawberry.ID, body: str
    ) -> TimelineEntry:
        context = context_of(info)
        entry = await context.container.incidents.add_note(context.principal, id, NoteDraft(body))
        return TimelineEntry.from_domain(entry)
