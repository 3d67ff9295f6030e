"""Users and their API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.auth import Role
from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_slug, require_text


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    email: str
    role: Role
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "email": self.email,
            "role": self.role.value,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> User:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            email=doc.get("email", ""),
            role=Role(doc["role"]),
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class UserDraft:
    name: str
    email: str
    role: Role

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        require_slug(self.name, field="name")
        email = require_text(self.email, field="email", max_length=254)
        if "@" not in email.strip("@"):
            raise ValidationError(f"'email' is not an address: {email!r}.", field="email")


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: str
    user_id: str
    name: str
    secret_hash: str
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "secret_hash": self.secret_hash,
            "created_at": self.created_at,
        }


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just created: the only moment its secret is known."""

    token: ApiToken
    secret: str
