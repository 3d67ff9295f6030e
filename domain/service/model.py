"""Services: what alerts are about, and the topology correlation uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_slug, require_text

MAX_DEPENDENCIES = 200


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    description: str
    depends_on: tuple[str, ...]
    """Names of the services this one calls."""
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "description": self.description,
            "depends_on": list(self.depends_on),
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Service:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            description=doc.get("description", ""),
            depends_on=tuple(doc.get("depends_on", ())),
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class ServiceDraft:
    """A service as requested, validated on construction."""

    name: str
    description: str = ""
    depends_on: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        require_slug(self.name, field="name")
        description = require_text(
            self.description, field="description", max_length=2000, allow_empty=True
        )
        object.__setattr__(self, "description", description)
        if len(self.depends_on) > MAX_DEPENDENCIES:
            raise ValidationError(
                f"A service may depend on at most {MAX_DEPENDENCIES} services.",
                field="dependsOn",
            )
        for dependency in self.depends_on:
            require_slug(dependency, field="dependsOn")
        if self.name in self.depends_on:
            raise ValidationError(
                f"Service '{self.name}' cannot depend on itself.", field="dependsOn"
            )
        # Order kept as given, repeats dropped.
        object.__setattr__(self, "depends_on", tuple(dict.fromkeys(self.depends_on)))
