"""What admins define for the organisation: custom incident roles, incident types and
custom fields. Everyone may read them; changing them needs Action.CONFIGURE."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from pymongo.errors import DuplicateKeyError

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.errors import ConflictError, ValidationError
from domain.ids import new_id
from domain.response.model import (
    BUILT_IN_ROLE_IDS,
    BUILT_IN_ROLES,
    FieldDefinition,
    FieldDraft,
    IncidentType,
    NamedDraft,
    RoleDefinition,
    name_key,
)
from domain.response.repository import ResponseRepository
from domain.store.documents import DocumentRepository, Storable

T = TypeVar("T", bound=Storable)


@dataclass(frozen=True, slots=True)
class Definitions:
    """Everything defined, by id: what an incident's stored ids are shown as."""

    roles: dict[str, RoleDefinition]
    types: dict[str, IncidentType]
    fields: dict[str, FieldDefinition]


async def _stored(repository: DocumentRepository[T], item: T, *, name: str, new: bool) -> None:
    """Insert or replace; a name already taken (whatever its case) is a conflict."""
    try:
        if new:
            await repository.insert(item)
        else:
            await repository.replace(item)
    except DuplicateKeyError as exc:
        raise ConflictError(
            f"The name '{name}' is taken by another {repository.noun}.",
            suggestion=f"Choose another name, or update the existing {repository.noun}.",
        ) from exc


class ResponseCatalog:
    def __init__(
        self,
        *,
        roles: DocumentRepository[RoleDefinition],
        types: DocumentRepository[IncidentType],
        fields: DocumentRepository[FieldDefinition],
        incidents: ResponseRepository,
        audit: AuditTrail,
    ) -> None:
        self._roles = roles
        self._audit = audit
        self._types = types
        self._fields = fields
        self._incidents = incidents

    async def definitions(self, principal: Principal) -> Definitions:
        principal.require(Action.READ)
        return Definitions(
            roles={role.id: role for role in await self.roles(principal)},
            types={kind.id: kind for kind in await self._types.all()},
            fields={field.id: field for field in await self._fields.all()},
        )

    # Roles: the built-in three first, then the organisation's own.

    async def roles(self, principal: Principal) -> list[RoleDefinition]:
        principal.require(Action.READ)
        return [*BUILT_IN_ROLES, *await self._roles.all()]

    async def role(self, principal: Principal, role_id: str) -> RoleDefinition:
        principal.require(Action.READ)
        for role in BUILT_IN_ROLES:
            if role.id == role_id:
                return role
        return await self._roles.get(role_id)

    async def create_role(self, principal: Principal, draft: NamedDraft) -> RoleDefinition:
        principal.require(Action.CONFIGURE)
        self._check_not_built_in_name(draft.name)
        role = RoleDefinition(id=new_id(), name=draft.name, description=draft.description)
        await _stored(self._roles, role, name=draft.name, new=True)
        await self._audit.created(principal, AuditResource.INCIDENT_ROLE, role)
        return role

    async def update_role(
        self, principal: Principal, role_id: str, draft: NamedDraft
    ) -> RoleDefinition:
        principal.require(Action.CONFIGURE)
        self._check_custom(role_id)
        self._check_not_built_in_name(draft.name)
        current = await self._roles.get(role_id)
        role = RoleDefinition(id=role_id, name=draft.name, description=draft.description)
        await _stored(self._roles, role, name=draft.name, new=False)
        await self._audit.updated(principal, AuditResource.INCIDENT_ROLE, current, role)
        return role

    async def delete_role(self, principal: Principal, role_id: str) -> None:
        principal.require(Action.CONFIGURE)
        self._check_custom(role_id)
        current = await self._roles.get(role_id)
        await self._roles.delete(role_id)
        await self._incidents.forget_role(role_id)
        await self._audit.deleted(principal, AuditResource.INCIDENT_ROLE, current)

    # Incident types.

    async def types(self, principal: Principal) -> list[IncidentType]:
        principal.require(Action.READ)
        return await self._types.all()

    async def type(self, principal: Principal, type_id: str) -> IncidentType:
        principal.require(Action.READ)
        return await self._types.get(type_id)

    async def create_type(self, principal: Principal, draft: NamedDraft) -> IncidentType:
        principal.require(Action.CONFIGURE)
        kind = IncidentType(id=new_id(), name=draft.name, description=draft.description)
        await _stored(self._types, kind, name=draft.name, new=True)
        await self._audit.created(principal, AuditResource.INCIDENT_TYPE, kind)
        return kind

    async def update_type(
        self, principal: Principal, type_id: str, draft: NamedDraft
    ) -> IncidentType:
        principal.require(Action.CONFIGURE)
        current = await self._types.get(type_id)
        kind = IncidentType(id=type_id, name=draft.name, description=draft.description)
        await _stored(self._types, kind, name=draft.name, new=False)
        await self._audit.updated(principal, AuditResource.INCIDENT_TYPE, current, kind)
        return kind

    async def delete_type(self, principal: Principal, type_id: str) -> None:
        principal.require(Action.CONFIGURE)
        current = await self._types.get(type_id)
        await self._types.delete(type_id)
        await self._incidents.forget_type(type_id)
        await self._audit.deleted(principal, AuditResource.INCIDENT_TYPE, current)

    # Custom fields.

    async def fields(self, principal: Principal) -> list[FieldDefinition]:
        principal.require(Action.READ)
        return await self._fields.all()

    async def field(self, principal: Principal, field_id: str) -> FieldDefinition:
        principal.require(Action.READ)
        return await self._fields.get(field_id)

    async def create_field(self, principal: Principal, draft: FieldDraft) -> FieldDefinition:
        principal.require(Action.CONFIGURE)
        definition = FieldDefinition(
            id=new_id(),
            name=draft.name,
            kind=draft.kind,
            choices=draft.choices,
            description=draft.description,
        )
        await _stored(self._fields, definition, name=draft.name, new=True)
        await self._audit.created(principal, AuditResource.CUSTOM_FIELD, definition)
        return definition

    async def update_field(
        self, principal: Principal, field_id: str, draft: FieldDraft
    ) -> FieldDefinition:
        """Name, description and choices may change; the kind may not, since values
        already set were checked against it."""
        principal.require(Action.CONFIGURE)
        existing = await self._fields.get(field_id)
        if draft.kind is not existing.kind:
            raise ValidationError(
                f"Field '{existing.name}' is a {existing.kind.value} field; its kind "
                "cannot change.",
                suggestion="Create a new field of the other kind, and delete this one.",
                field="kind",
            )
        definition = FieldDefinition(
            id=field_id,
            name=draft.name,
            kind=draft.kind,
            choices=draft.choices,
            description=draft.description,
        )
        await _stored(self._fields, definition, name=draft.name, new=False)
        await self._audit.updated(principal, AuditResource.CUSTOM_FIELD, existing, definition)
        return definition

    async def delete_field(self, principal: Principal, field_id: str) -> None:
        principal.require(Action.CONFIGURE)
        current = await self._fields.get(field_id)
        await self._fields.delete(field_id)
        await self._incidents.forget_field(field_id)
        await self._audit.deleted(principal, AuditResource.CUSTOM_FIELD, current)

    @staticmethod
    def _check_custom(role_id: str) -> None:
        if role_id in BUILT_IN_ROLE_IDS:
            raise ValidationError(
                f"'{role_id}' is a built-in role; built-in roles cannot change.",
                suggestion="Create a custom role with the name you need.",
                field="id",
            )

    @staticmethod
    def _check_not_built_in_name(name: str) -> None:
        if any(name_key(role.name) == name_key(name) for role in BUILT_IN_ROLES):
            raise ConflictError(
                f"'{name}' is the name of a built-in role.",
                suggestion="Assign the built-in role, or choose another name.",
            )
