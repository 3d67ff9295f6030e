"""Heartbeats and service settings in GraphQL."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.service import RunbookInput, Service, runbooks_of
from domain.heartbeat import model
from domain.heartbeat.service import IssuedHeartbeat
from domain.service.model import ServiceChanges
from domain.store.timestamps import optional_from_ms

strawberry.enum(model.HeartbeatStatus, name="HeartbeatStatus")


@strawberry.type
class Heartbeat:
    id: strawberry.ID
    name: str
    service_id: strawberry.ID
    interval_seconds: int
    status: model.HeartbeatStatus
    last_ping_at: datetime | None

    @classmethod
    def from_domain(cls, heartbeat: model.Heartbeat) -> Heartbeat:
        return cls(
            id=strawberry.ID(heartbeat.id),
            name=heartbeat.name,
            service_id=strawberry.ID(heartbeat.service_id),
            interval_seconds=heartbeat.interval_s,
            status=heartbeat.status,
            last_ping_at=optional_from_ms(heartbeat.last_ping_ms),
        )


@strawberry.type(description="A new heartbeat. `pingPath` holds its secret: shown once.")
class CreatedHeartbeat:
    heartbeat: Heartbeat
    ping_path: str = strawberry.field(description="GET or POST this path every interval.")

    @classmethod
    def from_domain(cls, issued: IssuedHeartbeat) -> CreatedHeartbeat:
        return cls(
            heartbeat=Heartbeat.from_domain(issued.heartbeat),
            ping_path=f"/heartbeat/{issued.secret}",
        )


@strawberry.input
class HeartbeatInput:
    name: str
    service_id: strawberry.ID
    interval_seconds: int

    def to_draft(self) -> model.HeartbeatDraft:
        return model.HeartbeatDraft(
            name=self.name, service_id=self.service_id, interval_s=self.interval_seconds
        )


@strawberry.input(description="Fields left out stay as they are. Names never change.")
class UpdateServiceInput:
    description: str | None = None
    depends_on: list[str] | None = None
    auto_resolve: bool | None = strawberry.field(
        default=None, description="Resolve incidents when their last alert resolves."
    )
    alert_timeout_seconds: int | None = strawberry.field(
        default=None, description="Resolve alerts not seen again for this long."
    )
    clear_alert_timeout: bool = False
    escalation_policy_id: strawberry.ID | None = None
    clear_escalation_policy: bool = strawberry.field(
        default=False, description="Page nobody for its incidents from now on."
    )
    team: str | None = strawberry.field(
        default=None, description="A team slug, for analytics grouping."
    )
    clear_team: bool = False
    runbooks: list[RunbookInput] | None = strawberry.field(
        default=None, description="The whole new list (at most 20); [] removes them all."
    )

    def to_domain(self) -> ServiceChanges:
        return ServiceChanges(
            description=self.description,
            depends_on=tuple(self.depends_on) if self.depends_on is not None else None,
            auto_resolve=self.auto_resolve,
            alert_timeout_s=self.alert_timeout_seconds,
            clear_alert_timeout=self.clear_alert_timeout,
            escalation_policy_id=self.escalation_policy_id,
            clear_escalation_policy=self.clear_escalation_policy,
            team=self.team,
            clear_team=self.clear_team,
            runbooks=None if self.runbooks is None else runbooks_of(self.runbooks),
        )


@strawberry.type
class HeartbeatQuery:
    @strawberry.field
    async def heartbeats(self, info: strawberry.Info) -> list[Heartbeat]:
        context = context_of(info)
        return [
            Heartbeat.from_domain(h)
            for h in await context.container.heartbeats.all(context.principal)
        ]


@strawberry.type
class HeartbeatMutation:
    @strawberry.mutation
    async def create_heartbeat(
        self, info: strawberry.Info, input: HeartbeatInput
    ) -> CreatedHeartbeat:
        context = context_of(info)
        issued = await context.container.heartbeats.create(context.principal, input.to_draft())
        return CreatedHeartbeat.from_domain(issued)

    @strawberry.mutation
    async def update_heartbeat(
        self, info: strawberry.Info, id: strawberry.ID, input: HeartbeatInput
    ) -> Heartbeat:
        context = context_of(info)
        heartbeat = await context.container.heartbeats.update(
            context.principal, id, input.to_draft()
        )
        return Heartbeat.from_domain(heartbeat)

    @strawberry.mutation
    async def delete_heartbeat(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.heartbeats.delete(context.principal, id)
        return True

    @strawberry.mutation
    async def update_service(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdateServiceInput
    ) -> Service:
        context = context_of(info)
        if input.escalation_policy_id is not None:
            await context.container.escalation.policies.require_exists(
                context.principal, input.escalation_policy_id, field="escalationPolicyId"
            )
        service = await context.container.services.update(context.principal, id, input.to_domain())
        return Service.from_domain(service)
