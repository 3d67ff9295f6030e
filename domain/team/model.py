"""Teams, and who belongs to them in which role.

A team's slug is its identity: services, schedules and escalation policies name their
owning team by slug, so a slug never changes once the team exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.auth import TeamRole
from domain.store.database import Document
from domain.validation import require_slug, require_text


@dataclass(frozen=True, slots=True)
class TeamDraft:
    slug: str
    name: str
    description: str = ""

    def __post_init__(self) -> None:
        require_slug(self.slug, field="slug")
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))
        object.__setattr__(
            self,
            "description",
            require_text(self.description, field="description", max_length=2000, allow_empty=True),
        )


@dataclass(frozen=True, slots=True)
class TeamChanges:
    name: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        if self.name is not None:
            object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))
        if self.description is not None:
            object.__setattr__(
                self,
                "description",
                require_text(
                    self.description, field="description", max_length=2000, allow_empty=True
                ),
            )

    def apply(self, team: Team) -> Team:
        return Team(
            slug=team.slug,
            name=self.name if self.name is not None else team.name,
            description=self.description if self.description is not None else team.description,
            created_at=team.created_at,
        )


@dataclass(frozen=True, slots=True)
class Team:
    slug: str
    name: str
    description: str
    created_at: datetime

    @property
    def id(self) -> str:
        return self.slug

    def to_document(self) -> Document:
        return {
            "_id": self.slug,
            "name": self.name,
            "description": self.description,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Team:
        return cls(
            slug=doc["_id"],
            name=doc["name"],
            description=doc.get("description", ""),
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class Membership:
    team: str
    user_id: str
    role: TeamRole

    @property
    def id(self) -> str:
        return f"{self.team}:{self.user_id}"

    def to_document(self) -> Document:
        return {"_id": self.id, "team": self.team, "user_id": self.user_id, "role": self.role.value}

    @classmethod
    def from_document(cls, doc: Document) -> Membership:
        return cls(team=doc["team"], user_id=doc["user_id"], role=TeamRole(doc["role"]))
