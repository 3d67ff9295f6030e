"""Service types, inputs and the conversions from the domain."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.schema.access import context_of
from domain.errors import ValidationError
from domain.service import model

if TYPE_CHECKING:
    from api.schema.noise import MaintenanceOccurrence


@strawberry.type(description="A link a responder follows when the service has an incident.")
class Runbook:
    href: str
    text: str


@strawberry.input(description="A runbook: an http(s) URL and what it is about.")
class RunbookInput:
    href: str
    text: str = ""


def runbooks_of(inputs: list[RunbookInput]) -> tuple[model.Runbook, ...]:
    """Domain runbooks, the failing one named by its place in the list."""
    found = []
    for index, runbook in enumerate(inputs):
        try:
            found.append(model.Runbook(runbook.href, runbook.text))
        except ValidationError as exc:
            raise exc.located(f"runbooks[{index}]") from exc
    return tuple(found)


@strawberry.type(description="Something alerts are about; `dependsOn` is its call topology.")
class Service:
    id: strawberry.ID
    name: str
    description: str
    depends_on: list[str] = strawberry.field(description="Names of the services this one calls.")
    created_at: datetime
    auto_resolve: bool
    alert_timeout_seconds: int | None
    escalation_policy_id: strawberry.ID | None = strawberry.field(
        description="The policy that pages people when its incidents trigger."
    )
    team: str | None = strawberry.field(
        default=None,
        description="The slug of the owning team; its members' team roles govern the service, "
        "its incidents, alerts and integration keys. No team: governed by global roles.",
    )
    runbooks: list[Runbook] = strawberry.field(
        default_factory=list, description="Shown to responders in `Incident.context`."
    )

    @strawberry.field(
        description="Maintenance occurrences covering this service in a period: "
        "its planned-work history and schedule."
    )
    async def maintenance(
        self, info: strawberry.Info, since: datetime, until: datetime
    ) -> list[Annotated[MaintenanceOccurrence, strawberry.lazy("api.schema.noise")]]:
        from api.schema.noise import MaintenanceOccurrence, MaintenanceWindow

        context = context_of(info)
        found = await context.container.maintenance.occurrences_for_service(
            context.principal, self.id, since, until
        )
        return [
            MaintenanceOccurrence(
                window=MaintenanceWindow.from_domain(window), starts_at=start, ends_at=end
            )
            for window, start, end in found
        ]

    @classmethod
    def from_domain(cls, service: model.Service) -> Service:
        return cls(
            id=strawberry.ID(service.id),
            name=service.name,
            description=service.description,
            depends_on=list(service.depends_on),
            created_at=service.created_at,
            auto_resolve=service.auto_resolve,
            alert_timeout_seconds=service.alert_timeout_s,
            escalation_policy_id=strawberry.ID(service.escalation_policy_id)
            if service.escalation_policy_id
            else None,
            team=service.team,
            runbooks=[Runbook(href=r.href, text=r.text) for r in service.runbooks],
        )


@strawberry.input
class CreateServiceInput:
    name: str = strawberry.field(description="A slug, unique: lower-case letters, digits, dashes.")
    description: str = ""
    depends_on: list[str] = strawberry.field(default_factory=list)
    escalation_policy_id: strawberry.ID | None = None
    team: str | None = strawberry.field(
        default=None, description="The owning team's slug; needs the manager role in it."
    )
    runbooks: list[RunbookInput] = strawberry.field(
        default_factory=list, description="At most 20 http(s) links."
    )

    def to_draft(self) -> model.ServiceDraft:
        return model.ServiceDraft(
            name=self.name,
            description=self.description,
            depends_on=tuple(self.depends_on),
            escalation_policy_id=self.escalation_policy_id,
            team=self.team,
            runbooks=runbooks_of(self.runbooks),
        )
