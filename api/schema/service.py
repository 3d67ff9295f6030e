"""Service types, inputs and the conversions from the domain."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.service import model


@strawberry.type(description="Something alerts are about; `dependsOn` is its call topology.")
class Service:
    id: strawberry.ID
    name: str
    description: str
    depends_on: list[str] = strawberry.field(description="Names of the services this one calls.")
    created_at: datetime

    @classmethod
    def from_domain(cls, service: model.Service) -> Service:
        return cls(
            id=strawberry.ID(service.id),
            name=service.name,
            description=service.description,
            depends_on=list(service.depends_on),
            created_at=service.created_at,
        )


@strawberry.input
class CreateServiceInput:
    name: str = strawberry.field(description="A slug, unique: lower-case letters, digits, dashes.")
    description: str = ""
    depends_on: list[str] = strawberry.field(default_factory=list)

    def to_draft(self) -> model.ServiceDraft:
        return model.ServiceDraft(
            name=self.name, description=self.description, depends_on=tuple(self.depends_on)
        )
