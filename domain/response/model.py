"""Who responds to an incident and how it is classified: roles, responders, priority,
type and custom fields, with the definitions admins keep for the organisation."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from domain.errors import ValidationError
from domain.store.database import Document
from domain.store.timestamps import from_ms, to_ms
from domain.validation import require_text

NAME_MAX = 100
DESCRIPTION_MAX = 1000
TEXT_VALUE_MAX = 2000
CHOICES_MAX = 50


class Priority(StrEnum):
    """How urgent the response is (P1 most), set by people; severity comes from alerts."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"
    P5 = "P5"


def name_key(name: str) -> str:
    """Names are unique whatever their case: 'Scribe' and 'scribe' are one role."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True, slots=True)
class NamedDraft:
    """What an admin sends to create or rename a role or an incident type."""

    name: str
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=NAME_MAX))
        object.__setattr__(
            self,
            "description",
            require_text(
                self.description, field="description", max_length=DESCRIPTION_MAX, allow_empty=True
            ),
        )


@dataclass(frozen=True, slots=True)
class NamedDefinition:
    """What roles and incident types share: an id, a unique name and a description."""

    id: str
    name: str
    description: str

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "name_key": name_key(self.name),
            "description": self.description,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Self:
        return cls(id=doc["_id"], name=doc["name"], description=doc.get("description", ""))


@dataclass(frozen=True, slots=True)
class RoleDefinition(NamedDefinition):
    built_in: bool = False
    """Only the three below; stored roles are the organisation's own."""


BUILT_IN_ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition(
        id="incident_commander",
        name="Incident commander",
        description="Leads the response and makes the decisions.",
        built_in=True,
    ),
    RoleDefinition(
        id="scribe",
        name="Scribe",
        description="Keeps the timeline: notes what is found, decided and done.",
        built_in=True,
    ),
    RoleDefinition(
        id="communications_lead",
        name="Communications lead",
        description="Keeps stakeholders and the status page informed.",
        built_in=True,
    ),
)
BUILT_IN_ROLE_IDS = frozenset(role.id for role in BUILT_IN_ROLES)


@dataclass(frozen=True, slots=True)
class IncidentType(NamedDefinition):
    """An organisation's kind of incident, such as 'Security' or 'Data loss'."""


class FieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    CHOICE = "choice"


FieldValue = str | float
"""A custom field's value as stored: text and choices are strings, numbers floats."""


@dataclass(frozen=True, slots=True)
class FieldDraft:
    name: str
    kind: FieldKind
    choices: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        named = NamedDraft(self.name, self.description)
        object.__setattr__(self, "name", named.name)
        object.__setattr__(self, "description", named.description)
        object.__setattr__(self, "kind", FieldKind(self.kind))
        choices = tuple(
            require_text(c, field=f"choices[{i}]", max_length=NAME_MAX)
            for i, c in enumerate(self.choices)
        )
        if self.kind is FieldKind.CHOICE:
            if not choices:
                raise ValidationError(
                    "A choice field needs at least one choice.",
                    suggestion="List the allowed values in 'choices', such as ['EU', 'US'].",
                    field="choices",
                )
            if len(choices) > CHOICES_MAX:
                raise ValidationError(
                    f"A choice field has at most {CHOICES_MAX} choices, got {len(choices)}.",
                    suggestion="Use a text field for open-ended values.",
                    field="choices",
                )
            if len(set(choices)) != len(choices):
                raise ValidationError(
                    "'choices' lists a value twice.",
                    suggestion="Remove the repeated choice.",
                    field="choices",
                )
        elif choices:
            raise ValidationError(
                f"Only choice fields have choices; this one is {self.kind.value}.",
                suggestion="Leave 'choices' out, or make the field's kind CHOICE.",
                field="choices",
            )
        object.__setattr__(self, "choices", choices)


@dataclass(frozen=True, slots=True)
class FieldDefinition:
    id: str
    name: str
    kind: FieldKind
    choices: tuple[str, ...]
    description: str

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "name_key": name_key(self.name),
            "kind": self.kind.value,
            "choices": list(self.choices),
            "description": self.description,
        }

    @classmethod
    def from_document(cls, doc: Document) -> FieldDefinition:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            kind=FieldKind(doc["kind"]),
            choices=tuple(doc.get("choices") or ()),
            description=doc.get("description", ""),
        )

    def check(self, value: FieldValueInput) -> FieldValue:
        """The value to store, or a ValidationError naming what to send instead."""
        given = value.given()
        if given != [self.kind]:
            raise ValidationError(
                f"Field '{self.name}' is a {self.kind.value} field; send its value "
                f"as '{self.kind.value}' and nothing else.",
                suggestion=f"Set 'value.{self.kind.value}' only.",
                field=f"value.{self.kind.value}",
            )
        if self.kind is FieldKind.NUMBER:
            assert value.number is not None
            if not math.isfinite(value.number):
                raise ValidationError(
                    f"Field '{self.name}' needs a finite number.",
                    suggestion="Send a number such as 42 or 3.5.",
                    field="value.number",
                )
            return float(value.number)
        if self.kind is FieldKind.CHOICE:
            assert value.choice is not None
            if value.choice not in self.choices:
                raise ValidationError(
                    f"{value.choice!r} is not a choice of field '{self.name}'.",
                    suggestion=f"Send one of: {', '.join(self.choices)}.",
                    field="value.choice",
                )
            return value.choice
        assert value.text is not None
        return require_text(value.text, field="value.text", max_length=TEXT_VALUE_MAX)


@dataclass(frozen=True, slots=True)
class FieldValueInput:
    """A value as sent: exactly the member named after the field's kind."""

    text: str | None = None
    number: float | None = None
    choice: str | None = None

    def given(self) -> list[FieldKind]:
        return [
            kind
            for kind, member in (
                (FieldKind.TEXT, self.text),
                (FieldKind.NUMBER, self.number),
                (FieldKind.CHOICE, self.choice),
            )
            if member is not None
        ]


@dataclass(frozen=True, slots=True)
class RoleHolder:
    user_id: str
    assigned_at: datetime
    assigned_by: str

    def to_document(self) -> Document:
        return {
            "user_id": self.user_id,
            "assigned_ms": to_ms(self.assigned_at),
            "assigned_by": self.assigned_by,
        }

    @classmethod
    def from_document(cls, doc: Document) -> RoleHolder:
        return cls(
            user_id=doc["user_id"],
            assigned_at=from_ms(int(doc["assigned_ms"])),
            assigned_by=doc["assigned_by"],
        )


@dataclass(frozen=True, slots=True)
class IncidentResponse:
    """The response state stored on the incident document itself, so every incident
    event (which carries the stored document) shows it to live subscribers."""

    priority: Priority | None = None
    type_id: str | None = None
    roles: dict[str, RoleHolder] = field(default_factory=dict)
    """Role id -> its one holder."""
    responders: tuple[str, ...] = ()
    """User ids, in the order they joined."""
    custom_fields: dict[str, FieldValue] = field(default_factory=dict)
    """Field definition id -> value."""

    def to_document(self) -> Document:
        return {
            "priority": self.priority.value if self.priority else None,
            "type_id": self.type_id,
            "roles": {role_id: h.to_document() for role_id, h in self.roles.items()},
            "responders": list(self.responders),
            "custom_fields": dict(self.custom_fields),
        }

    @classmethod
    def from_document(cls, doc: Document) -> IncidentResponse:
        roles: dict[str, Any] = doc.get("roles") or {}
        priority = doc.get("priority")
        return cls(
            priority=Priority(priority) if priority else None,
            type_id=doc.get("type_id"),
            roles={role_id: RoleHolder.from_document(h) for role_id, h in roles.items()},
            responders=tuple(doc.get("responders") or ()),
            custom_fields=dict(doc.get("custom_fields") or {}),
        )

    def with_holder(self, role_id: str, holder: RoleHolder) -> IncidentResponse:
        """A role holder is a responder too."""
        responders = self.responders
        if holder.user_id not in responders:
            responders = (*responders, holder.user_id)
        return dataclasses.replace(
            self, roles={**self.roles, role_id: holder}, responders=responders
        )

    def without_role(self, role_id: str) -> IncidentResponse:
        return dataclasses.replace(
            self, roles={k: h for k, h in self.roles.items() if k != role_id}
        )

    def with_responder(self, user_id: str) -> IncidentResponse:
        if user_id in self.responders:
            return self
        return dataclasses.replace(self, responders=(*self.responders, user_id))

    def without_responder(self, user_id: str) -> IncidentResponse:
        """A responder who leaves gives up the roles they held."""
        return dataclasses.replace(
            self,
            responders=tuple(u for u in self.responders if u != user_id),
            roles={k: h for k, h in self.roles.items() if h.user_id != user_id},
        )

    def roles_of(self, user_id: str) -> list[str]:
        return [role_id for role_id, h in self.roles.items() if h.user_id == user_id]
