"""Calendar feeds: a secret URL that serves one schedule's or one user's shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import ValidationError
from domain.store.database import Document

DEFAULT_PAST_DAYS = 7
DEFAULT_AHEAD_DAYS = 60
MAX_PAST_DAYS = 31
MAX_AHEAD_DAYS = 366


class FeedScope(StrEnum):
    SCHEDULE = "schedule"
    """Everyone's shifts on one schedule."""
    USER = "user"
    """One user's shifts on every schedule."""


class FeedStatus(StrEnum):
    # A string, not a boolean: the embedded store turns booleans written by $set into 1/0.
    ACTIVE = "active"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    id: str
    scope: FeedScope
    target_id: str
    """The schedule's or the user's id."""
    owner_id: str
    """Who created it: they (or an admin) may revoke it."""
    secret_hash: str
    status: FeedStatus
    created_at: datetime
    revoked_at_ms: int | None = None

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "scope": self.scope.value,
            "target_id": self.target_id,
            "owner_id": self.owner_id,
            "secret_hash": self.secret_hash,
            "status": self.status.value,
            "created_at": self.created_at,
            "revoked_at_ms": self.revoked_at_ms,
        }

    @classmethod
    def from_document(cls, doc: Document) -> CalendarFeed:
        return cls(
            id=doc["_id"],
            scope=FeedScope(doc["scope"]),
            target_id=doc["target_id"],
            owner_id=doc["owner_id"],
            secret_hash=doc["secret_hash"],
            status=FeedStatus(doc["status"]),
            created_at=doc["created_at"],
            revoked_at_ms=doc.get("revoked_at_ms"),
        )


@dataclass(frozen=True, slots=True)
class IssuedCalendarFeed:
    feed: CalendarFeed
    secret: str
    """Part of the feed's URL; shown once."""


@dataclass(frozen=True, slots=True)
class FeedWindow:
    """Which shifts a feed holds: from ``past_days`` ago to ``ahead_days`` ahead."""

    past_days: int = DEFAULT_PAST_DAYS
    ahead_days: int = DEFAULT_AHEAD_DAYS

    def __post_init__(self) -> None:
        if not 0 <= self.past_days <= MAX_PAST_DAYS:
            raise ValidationError(
                f"'past' must be between 0 and {MAX_PAST_DAYS} days, got {self.past_days}.",
                field="past",
            )
        if not 1 <= self.ahead_days <= MAX_AHEAD_DAYS:
            raise ValidationError(
                f"'days' must be between 1 and {MAX_AHEAD_DAYS}, got {self.ahead_days}.",
                field="days",
            )
