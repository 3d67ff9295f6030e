"""The audit log of configuration changes, for admins."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.pagination import Connection, connection
from api.schema.scalars import JSONObject
from domain.audit import model as audit_model
from domain.audit.model import AuditAction, AuditResource
from domain.auth.principal import PrincipalKind
from domain.store.pagination import DEFAULT_PAGE_SIZE, PageRequest

strawberry.enum(AuditAction, description="What a configuration change did.")
strawberry.enum(AuditResource, description="The kinds of configuration the audit log records.")
strawberry.enum(PrincipalKind, description="Who acted: a user, an integration key, or Vigil.")


@strawberry.type(description="Who made a configuration change.")
class AuditActor:
    kind: PrincipalKind
    id: strawberry.ID
    name: str


@strawberry.type(
    description="One configuration change. `before` and `after` are the stored documents "
    'with every secret (hashes, signing secrets, tokens) replaced by "[redacted]".'
)
class AuditEntry:
    id: strawberry.ID
    actor: AuditActor
    action: AuditAction
    resource_type: AuditResource
    resource_id: strawberry.ID
    resource_name: str | None
    before: JSONObject | None = strawberry.field(description="None for a creation.")
    after: JSONObject | None = strawberry.field(description="None for a deletion.")
    at: datetime
    request_id: str | None = strawberry.field(
        description="The id of the HTTP request that made the change, as in Vigil's logs."
    )

    @classmethod
    def from_domain(cls, entry: audit_model.AuditEntry) -> AuditEntry:
        return cls(
            id=strawberry.ID(entry.id),
            actor=AuditActor(
                kind=entry.actor.kind, id=strawberry.ID(entry.actor.id), name=entry.actor.name
            ),
            action=entry.action,
            resource_type=entry.resource_type,
            resource_id=strawberry.ID(entry.resource_id),
            resource_name=entry.resource_name,
            before=None if entry.before is None else JSONObject(entry.before),
            after=None if entry.after is None else JSONObject(entry.after),
            at=entry.at,
            request_id=entry.request_id,
        )


@strawberry.input(description="Every field given narrows the log; none gives all of it.")
class AuditFilter:
    resource_type: AuditResource | None = None
    resource_id: strawberry.ID | None = None
    actor_id: strawberry.ID | None = None
    since: datetime | None = strawberry.field(default=None, description="At or after.")
    until: datetime | None = strawberry.field(default=None, description="At or before.")

    def to_domain(self) -> audit_model.AuditFilter:
        return audit_model.AuditFilter(
            # Strawberry hands a StrEnum input over as its plain value.
            resource_type=None if self.resource_type is None else AuditResource(self.resource_type),
            resource_id=self.resource_id,
            actor_id=self.actor_id,
            since=self.since,
            until=self.until,
        )


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="Configuration changes, newest first; admins only. Page with `first` "
        "and `after`."
    )
    async def audit_log(
        self,
        info: strawberry.Info,
        filter: AuditFilter | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        context = context_of(info)
        page = await context.container.audit_log.entries(
            context.principal,
            (filter or AuditFilter()).to_domain(),
            PageRequest(first=first, after=after),
        )
        return connection(page, AuditEntry.from_domain)
