"""Incident roles, responders, priority, types, custom fields and pinned notes in GraphQL.

Incidents store ids only; names come from the definitions, read once per request
(`Loaders.response_definitions`), so a renamed role or type shows its new name.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.enums import FieldKind, Priority
from api.schema.incident import Incident, TimelineEntry
from api.schema.user import User
from domain.response import model
from domain.response.catalog import Definitions


@strawberry.type(description="A role someone can hold on an incident; one holder per role.")
class IncidentRole:
    id: strawberry.ID
    name: str
    description: str
    built_in: bool = strawberry.field(
        description="Incident commander, scribe and communications lead: they cannot change."
    )

    @classmethod
    def from_domain(cls, role: model.RoleDefinition) -> IncidentRole:
        return cls(
            id=strawberry.ID(role.id),
            name=role.name,
            description=role.description,
            built_in=role.built_in,
        )


@strawberry.type
class IncidentRoleAssignment:
    role: IncidentRole
    user_id: strawberry.ID
    assigned_at: datetime
    assigned_by: str

    @strawberry.field(description="Null if the user has since been deleted.")
    async def user(self, info: strawberry.Info) -> User | None:
        found = await context_of(info).loaders.user.load(self.user_id)
        return User.from_domain(found) if found else None


@strawberry.type
class IncidentType:
    id: strawberry.ID
    name: str
    description: str

    @classmethod
    def from_domain(cls, kind: model.IncidentType) -> IncidentType:
        return cls(id=strawberry.ID(kind.id), name=kind.name, description=kind.description)


@strawberry.type(description="A field admins define; responders fill it in per incident.")
class CustomFieldDefinition:
    id: strawberry.ID
    name: str
    kind: FieldKind
    choices: list[str] = strawberry.field(description="The allowed values of a CHOICE field.")
    description: str

    @classmethod
    def from_domain(cls, definition: model.FieldDefinition) -> CustomFieldDefinition:
        return cls(
            id=strawberry.ID(definition.id),
            name=definition.name,
            kind=definition.kind,
            choices=list(definition.choices),
            description=definition.description,
        )


@strawberry.type(description="A custom field's value on an incident: the member of its kind.")
class CustomFieldValue:
    field: CustomFieldDefinition
    text: str | None
    number: float | None
    choice: str | None


@strawberry.input
class IncidentRoleInput:
    name: str
    description: str = ""

    def to_draft(self) -> model.NamedDraft:
        return model.NamedDraft(name=self.name, description=self.description)


@strawberry.input
class IncidentTypeInput:
    name: str
    description: str = ""

    def to_draft(self) -> model.NamedDraft:
        return model.NamedDraft(name=self.name, description=self.description)


@strawberry.input
class CustomFieldInput:
    name: str
    kind: FieldKind
    choices: list[str] | None = strawberry.field(
        default=None, description="Required for CHOICE fields, refused for the others."
    )
    description: str = ""

    def to_draft(self) -> model.FieldDraft:
        return model.FieldDraft(
            name=self.name,
            kind=self.kind,
            choices=tuple(self.choices or ()),
            description=self.description,
        )


@strawberry.input(description="Set exactly the member named after the field's kind.")
class CustomFieldValueInput:
    text: str | None = None
    number: float | None = None
    choice: str | None = None

    def to_domain(self) -> model.FieldValueInput:
        return model.FieldValueInput(text=self.text, number=self.number, choice=self.choice)


async def _definitions(info: strawberry.Info) -> Definitions:
    return await context_of(info).loaders.response_definitions.load("all")


async def role_assignments(
    info: strawberry.Info, response: model.IncidentResponse
) -> list[IncidentRoleAssignment]:
    """Built-in roles first, then custom ones in the order they were defined."""
    definitions = await _definitions(info)
    return [
        IncidentRoleAssignment(
            role=IncidentRole.from_domain(role),
            user_id=strawberry.ID(holder.user_id),
            assigned_at=holder.assigned_at,
            assigned_by=holder.assigned_by,
        )
        for role_id, role in definitions.roles.items()
        if (holder := response.roles.get(role_id)) is not None
    ]


async def responders(info: strawberry.Info, response: model.IncidentResponse) -> list[User]:
    """In the order they joined; deleted users are left out."""
    found = await context_of(info).loaders.user.load_many(list(response.responders))
    return [User.from_domain(user) for user in found if user is not None]


async def incident_type(
    info: strawberry.Info, response: model.IncidentResponse
) -> IncidentType | None:
    if response.type_id is None:
        return None
    kind = (await _definitions(info)).types.get(response.type_id)
    return IncidentType.from_domain(kind) if kind else None


async def custom_fields(
    info: strawberry.Info, response: model.IncidentResponse
) -> list[CustomFieldValue]:
    """In the order the fields were defined; fields without a value are left out."""
    definitions = await _definitions(info)
    values: list[CustomFieldValue] = []
    for field_id, definition in definitions.fields.items():
        value = response.custom_fields.get(field_id)
        if value is None:
            continue
        values.append(
            CustomFieldValue(
                field=CustomFieldDefinition.from_domain(definition),
                text=str(value) if definition.kind is model.FieldKind.TEXT else None,
                number=float(value) if definition.kind is model.FieldKind.NUMBER else None,
                choice=str(value) if definition.kind is model.FieldKind.CHOICE else None,
            )
        )
    return values


@strawberry.type
class ResponseQuery:
    @strawberry.field(description="The built-in roles, then the organisation's custom roles.")
    async def incident_roles(self, info: strawberry.Info) -> list[IncidentRole]:
        context = context_of(info)
        roles = await context.container.response.catalog.roles(context.principal)
        return [IncidentRole.from_domain(role) for role in roles]

    @strawberry.field
    async def incident_types(self, info: strawberry.Info) -> list[IncidentType]:
        context = context_of(info)
        kinds = await context.container.response.catalog.types(context.principal)
        return [IncidentType.from_domain(kind) for kind in kinds]

    @strawberry.field
    async def custom_field_definitions(self, info: strawberry.Info) -> list[CustomFieldDefinition]:
        context = context_of(info)
        fields = await context.container.response.catalog.fields(context.principal)
        return [CustomFieldDefinition.from_domain(field) for field in fields]


@strawberry.type
class ResponseMutation:
    @strawberry.mutation(description="A custom incident role (admins).")
    async def create_incident_role(
        self, info: strawberry.Info, input: IncidentRoleInput
    ) -> IncidentRole:
        context = context_of(info)
        role = await context.container.response.catalog.create_role(
            context.principal, input.to_draft()
        )
        return IncidentRole.from_domain(role)

    @strawberry.mutation
    async def update_incident_role(
        self, info: strawberry.Info, id: strawberry.ID, input: IncidentRoleInput
    ) -> IncidentRole:
        context = context_of(info)
        role = await context.container.response.catalog.update_role(
            context.principal, id, input.to_draft()
        )
        return IncidentRole.from_domain(role)

    @strawberry.mutation(description="Incidents holding it lose it; timelines keep the history.")
    async def delete_incident_role(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.response.catalog.delete_role(context.principal, id)
        return True

    @strawberry.mutation
    async def create_incident_type(
        self, info: strawberry.Info, input: IncidentTypeInput
    ) -> IncidentType:
        context = context_of(info)
        kind = await context.container.response.catalog.create_type(
            context.principal, input.to_draft()
        )
        return IncidentType.from_domain(kind)

    @strawberry.mutation
    async def update_incident_type(
        self, info: strawberry.Info, id: strawberry.ID, input: IncidentTypeInput
    ) -> IncidentType:
        context = context_of(info)
        kind = await context.container.response.catalog.update_type(
            context.principal, id, input.to_draft()
        )
        return IncidentType.from_domain(kind)

    @strawberry.mutation(description="Incidents of this type are left without one.")
    async def delete_incident_type(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.response.catalog.delete_type(context.principal, id)
        return True

    @strawberry.mutation
    async def create_custom_field(
        self, info: strawberry.Info, input: CustomFieldInput
    ) -> CustomFieldDefinition:
        context = context_of(info)
        definition = await context.container.response.catalog.create_field(
            context.principal, input.to_draft()
        )
        return CustomFieldDefinition.from_domain(definition)

    @strawberry.mutation(description="Name, description and choices; the kind cannot change.")
    async def update_custom_field(
        self, info: strawberry.Info, id: strawberry.ID, input: CustomFieldInput
    ) -> CustomFieldDefinition:
        context = context_of(info)
        definition = await context.container.response.catalog.update_field(
            context.principal, id, input.to_draft()
        )
        return CustomFieldDefinition.from_domain(definition)

    @strawberry.mutation(description="Its values are removed from every incident.")
    async def delete_custom_field(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.response.catalog.delete_field(context.principal, id)
        return True

    @strawberry.mutation(
        description="Give a role to a user (who becomes a responder), replacing its holder."
    )
    async def assign_incident_role(
        self,
        info: strawberry.Info,
        incident_id: strawberry.ID,
        role_id: strawberry.ID,
        user_id: strawberry.ID,
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.response.desk.assign_role(
            context.principal, incident_id, role_id, user_id
        )
        return Incident.from_domain(incident)

    @strawberry.mutation
    async def unassign_incident_role(
        self, info: strawberry.Info, incident_id: strawberry.ID, role_id: strawberry.ID
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.response.desk.unassign_role(
            context.principal, incident_id, role_id
        )
        return Incident.from_domain(incident)

    @strawberry.mutation
    async def add_incident_responder(
        self, info: strawberry.Info, incident_id: strawberry.ID, user_id: strawberry.ID
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.response.desk.add_responder(
            context.principal, incident_id, user_id
        )
        return Incident.from_domain(incident)

    @strawberry.mutation(description="The responder also gives up the roles they hold.")
    async def remove_incident_responder(
        self, info: strawberry.Info, incident_id: strawberry.ID, user_id: strawberry.ID
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.response.desk.remove_responder(
            context.principal, incident_id, user_id
        )
        return Incident.from_domain(incident)

    @strawberry.mutation(description="Null clears it.")
    async def set_incident_priority(
        self, info: strawberry.Info, incident_id: strawberry.ID, priority: Priority | None = None
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.response.desk.set_priority(
            context.principal, incident_id, priority
        )
        return Incident.from_domain(incident)

    @strawberry.mutation(description="Null clears it.")
    async def set_incident_type(
        self,
        info: strawberry.Info,
        incident_id: strawberry.ID,
        type_id: strawberry.ID | None = None,
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.response.desk.set_type(
            context.principal, incident_id, type_id
        )
        return Incident.from_domain(incident)

    @strawberry.mutation(description="Null clears it; the value is checked against the field.")
    async def set_incident_custom_field(
        self,
        info: strawberry.Info,
        incident_id: strawberry.ID,
        field_id: strawberry.ID,
        value: CustomFieldValueInput | None = None,
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.response.desk.set_custom_field(
            context.principal, incident_id, field_id, value.to_domain() if value else None
        )
        return Incident.from_domain(incident)

    @strawberry.mutation(description="Pin a note (pinned: false unpins it).")
    async def pin_timeline_entry(
        self, info: strawberry.Info, id: strawberry.ID, pinned: bool = True
    ) -> TimelineEntry:
        context = context_of(info)
        entry = await context.container.response.timeline.pin(context.principal, id, pinned)
        return TimelineEntry.from_domain(entry)
