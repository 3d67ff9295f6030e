"""Users and their API tokens."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from domain.auth import Role
from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_slug, require_text

DEFAULT_TIME_ZONE = "UTC"


@functools.cache
def _known_time_zones() -> frozenset[str]:
    # UTC needs no tz database: the default must work on a system without one.
    return frozenset(zoneinfo.available_timezones()) | {DEFAULT_TIME_ZONE}


def require_time_zone(name: str, *, field: str = "timeZone") -> str:
    """An IANA time zone name that zoneinfo can load ("Europe/Berlin")."""
    # available_timezones() keeps out names zoneinfo would also open, such as paths.
    if name not in _known_time_zones():
        raise ValidationError(
            f"'{field}' is not an IANA time zone name: {name!r}.",
            suggestion="Use a name from the tz database, such as 'Europe/Berlin' or 'UTC'.",
            field=field,
        )
    return name


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    email: str
    role: Role
    created_at: datetime
    time_zone: str = DEFAULT_TIME_ZONE
    """Where the person lives: analytics counts pages outside their working and sleep hours."""

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "email": self.email,
            "role": self.role.value,
            "created_at": self.created_at,
            "time_zone": self.time_zone,
        }

    @classmethod
    def from_document(cls, doc: Document) -> User:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            email=doc.get("email", ""),
            role=Role(doc["role"]),
            created_at=doc["created_at"],
            time_zone=doc.get("time_zone") or DEFAULT_TIME_ZONE,
        )


def _require_email(email: str) -> str:
    email = require_text(email, field="email", max_length=254)
    if "@" not in email.strip("@"):
        raise ValidationError(f"'email' is not an address: {email!r}.", field="email")
    return email


@dataclass(frozen=True, slots=True)
class UserDraft:
    name: str
    email: str
    role: Role
    time_zone: str = DEFAULT_TIME_ZONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        require_slug(self.name, field="name")
        _require_email(self.email)
        require_time_zone(self.time_zone)


@dataclass(frozen=True, slots=True)
class UserChanges:
    """What a user's update may change; None leaves a field as it is."""

    email: str | None = None
    time_zone: str | None = None

    def __post_init__(self) -> None:
        if self.email is not None:
            object.__setattr__(self, "email", _require_email(self.email))
        if self.time_zone is not None:
            require_time_zone(self.time_zone)


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

    @classmethod
    def from_document(cls, doc: Document) -> ApiToken:
        return cls(
            id=doc["_id"],
            user_id=doc["user_id"],
            name=doc["name"],
            secret_hash=doc["secret_hash"],
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just created: the only moment its secret is known."""

    token: ApiToken
    secret: str
