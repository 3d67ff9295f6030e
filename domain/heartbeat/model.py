"""Heartbeats: a monitor pings every N seconds; silence means it (or its host) is down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_text

MIN_INTERVAL_S = 10
MAX_INTERVAL_S = 7 * 86400


class HeartbeatStatus(StrEnum):
    WAITING = "waiting"
    """Created, never pinged: nothing to miss yet."""
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class HeartbeatDraft:
    name: str
    service_id: str
    interval_s: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))
        if not MIN_INTERVAL_S <= self.interval_s <= MAX_INTERVAL_S:
            raise ValidationError(
                f"'intervalSeconds' must be between {MIN_INTERVAL_S} and {MAX_INTERVAL_S}.",
                field="intervalSeconds",
            )


@dataclass(frozen=True, slots=True)
class Heartbeat:
    id: str
    name: str
    service_id: str
    interval_s: int
    secret_hash: str
    status: HeartbeatStatus
    last_ping_ms: int | None
    created_at: datetime

    @property
    def dedup_key(self) -> str:
        return f"heartbeat:{self.id}"

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "service_id": self.service_id,
            "interval_s": self.interval_s,
            "secret_hash": self.secret_hash,
            "status": self.status.value,
            "last_ping_ms": self.last_ping_ms,
            # When the next ping is due; what the checker queries.
            "due_ms": None
            if self.last_ping_ms is None
            else self.last_ping_ms + self.interval_s * 1000,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Heartbeat:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            service_id=doc["service_id"],
            interval_s=int(doc["interval_s"]),
            secret_hash=doc["secret_hash"],
            status=HeartbeatStatus(doc["status"]),
            last_ping_ms=doc.get("last_ping_ms"),
            created_at=doc["created_at"],
        )
