"""Integration keys: how a monitor authenticates to send alerts, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.store.database import Document
from domain.validation import require_text


@dataclass(frozen=True, slots=True)
class IntegrationKey:
    id: str
    name: str
    service_id: str | None
    """None: alerts are routed by their own `service` field."""
    secret_hash: str
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "service_id": self.service_id,
            "secret_hash": self.secret_hash,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> IntegrationKey:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            service_id=doc.get("service_id"),
            secret_hash=doc["secret_hash"],
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class IntegrationKeyDraft:
    name: str
    service_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))


@dataclass(frozen=True, slots=True)
class IssuedIntegrationKey:
    key: IntegrationKey
    secret: str
