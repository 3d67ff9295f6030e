"""Change events in GraphQL: recording deploys and config changes, and reading them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.incident import Link
from api.schema.ingest import AlertLinkInput
from api.schema.scalars import JSONObject
from domain.alert.model import AlertLink
from domain.change import model
from domain.errors import BatchTooLargeError, ValidationError

strawberry.enum(model.ChangeKind, name="ChangeKind")


@strawberry.type(description="A deploy or configuration change of a service.")
class ChangeEvent:
    id: strawberry.ID
    kind: model.ChangeKind
    summary: str
    source: str = strawberry.field(description="The tool that made the change.")
    service_id: strawberry.ID
    service_name: str
    occurred_at: datetime = strawberry.field(description="Event time: when the change happened.")
    received_at: datetime = strawberry.field(description="When Vigil received it.")
    sent_by: str = strawberry.field(description="'integration_key:<name>' or 'user:<name>'.")
    links: list[Link]
    custom_details: JSONObject

    @classmethod
    def from_domain(cls, change: model.ChangeEvent) -> ChangeEvent:
        return cls(
            id=strawberry.ID(change.id),
            kind=change.kind,
            summary=change.summary,
            source=change.source,
            service_id=strawberry.ID(change.service_id),
            service_name=change.service,
            occurred_at=change.occurred_at,
            received_at=change.received_at,
            sent_by=change.sent_by,
            links=[Link(href=link.href, text=link.text) for link in change.links],
            custom_details=JSONObject(dict(change.custom_details)),
        )


@strawberry.input(description="One change as a deploy pipeline or config tool reports it.")
class ChangeEventInput:
    summary: str
    kind: model.ChangeKind = model.ChangeKind.DEPLOY
    source: str | None = strawberry.field(default=None, description="Default 'api'.")
    service: str | None = strawberry.field(
        default=None,
        description="Service name; required unless the integration key is bound to a service. "
        "An unknown name registers a new service.",
    )
    timestamp: datetime | None = strawberry.field(
        default=None, description="Event time, with a time zone. Default: when received."
    )
    links: list[AlertLinkInput] | None = None
    custom_details: JSONObject | None = None

    def to_draft(self) -> model.ChangeEventDraft:
        return model.ChangeEventDraft(
            summary=self.summary,
            kind=self.kind,
            source=self.source or "api",
            service=self.service,
            occurred_at=self.timestamp,
            links=tuple(AlertLink(link.href, link.text) for link in self.links or ()),
            custom_details=self.custom_details or {},
        )


@strawberry.type
class ChangeQuery:
    @strawberry.field(
        description="A service's change events with an event time in [since, until] "
        "(until: now), newest first."
    )
    async def change_events(
        self,
        info: strawberry.Info,
        service_id: strawberry.ID,
        since: datetime,
        until: datetime | None = None,
        first: int = 100,
    ) -> list[ChangeEvent]:
        context = context_of(info)
        found = await context.container.context.changes.of_service(
            context.principal, service_id, since, until, first
        )
        return [ChangeEvent.from_domain(change) for change in found]


@strawberry.type
class ChangeMutation:
    @strawberry.mutation(
        description=f"Record up to {model.MAX_BATCH} deploys or config changes, all or none. "
        "Callable with an integration key, like ingestAlerts."
    )
    async def change_events(
        self, info: strawberry.Info, input: list[ChangeEventInput]
    ) -> list[ChangeEvent]:
        context = context_of(info)
        if len(input) > model.MAX_BATCH:
            raise BatchTooLargeError(
                f"A call may carry at most {model.MAX_BATCH} change events; "
                f"this one has {len(input)}."
            )
        drafts = []
        for index, change in enumerate(input):
            try:
                drafts.append(change.to_draft())
            except ValidationError as exc:
                raise exc.located(f"input[{index}]") from exc
        recorded = await context.container.context.changes.record(context.principal, drafts)
        return [ChangeEvent.from_domain(change) for change in recorded]
