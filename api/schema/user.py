"""Users, API tokens and integration keys."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.enums import Role
from domain.integration import model as key_model
from domain.user import model


@strawberry.type
class User:
    id: strawberry.ID
    name: str
    email: str
    role: Role
    created_at: datetime
    time_zone: str = strawberry.field(
        description='IANA time zone name ("Europe/Berlin"): working and sleep hours in '
        "on-call analytics are counted in it."
    )

    @classmethod
    def from_domain(cls, user: model.User) -> User:
        return cls(
            id=strawberry.ID(user.id),
            name=user.name,
            email=user.email,
            role=user.role,
            created_at=user.created_at,
            time_zone=user.time_zone,
        )


@strawberry.input
class CreateUserInput:
    name: str
    email: str
    role: Role
    time_zone: str = strawberry.field(
        default=model.DEFAULT_TIME_ZONE, description="IANA time zone name; default UTC."
    )

    def to_draft(self) -> model.UserDraft:
        return model.UserDraft(
            name=self.name, email=self.email, role=self.role, time_zone=self.time_zone
        )


@strawberry.input(description="Fields left out stay as they are.")
class UpdateUserInput:
    email: str | None = None
    time_zone: str | None = strawberry.field(default=None, description="IANA time zone name.")

    def to_domain(self) -> model.UserChanges:
        return model.UserChanges(email=self.email, time_zone=self.time_zone)


@strawberry.type(description="A new API token. `secret` is shown this once and never again.")
class CreatedApiToken:
    id: strawberry.ID
    name: str
    user_id: strawberry.ID
    secret: str


@strawberry.input
class CreateApiTokenInput:
    name: str
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the caller; other users need an admin."
    )


@strawberry.type(description="A new integration key. `secret` is shown this once and never again.")
class CreatedIntegrationKey:
    id: strawberry.ID
    name: str
    service_id: strawberry.ID | None
    secret: str

    @classmethod
    def from_domain(cls, issued: key_model.IssuedIntegrationKey) -> CreatedIntegrationKey:
        key = issued.key
        return cls(
            id=strawberry.ID(key.id),
            name=key.name,
            secret=issued.secret,
            service_id=strawberry.ID(key.service_id) if key.service_id else None,
        )


@strawberry.input
class CreateIntegrationKeyInput:
    name: str
    service_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Bind the key to one service; without it, alerts name their own service.",
    )

    def to_draft(self) -> key_model.IntegrationKeyDraft:
        return key_model.IntegrationKeyDraft(name=self.name, service_id=self.service_id)
