"""The durable outbox: every notification is stored before anything is sent.

An entry is one notification to one contact method. Its ``dedup_key`` (page key and
contact method) is unique, so recording the same page twice stores it once. ``due_ms``
says when a worker may take it next; claiming it moves ``due_ms`` past a lease, so a
worker that dies mid-send leaves an entry that becomes due again rather than lost,
and two workers never hold the same entry at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from domain.contact.model import ContactKind
from domain.errors import NotFoundError
from domain.store.database import Database, Document
from domain.store.due import take_due
from domain.store.timestamps import from_ms, to_ms

COLLECTION = "notification_outbox"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    """Waiting for its time, or for the next attempt."""
    SENT = "sent"
    DEAD = "dead"
    """Every attempt failed (or there was nothing to send to): a dead letter."""
    CANCELLED = "cancelled"
    """Not sent: the incident was acknowledged or resolved before it was due."""


class AttemptOutcome(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    at: datetime
    outcome: AttemptOutcome
    error: str | None = None
    status_code: int | None = None
    """The receiver's HTTP status (or SMTP reply code), when it answered."""

    def to_document(self) -> Document:
        return {
            "at_ms": to_ms(self.at),
            "outcome": self.outcome.value,
            "error": self.error,
            "status_code": self.status_code,
        }

    @classmethod
    def from_document(cls, doc: Document) -> DeliveryAttempt:
        code = doc.get("status_code")
        return cls(
            at=from_ms(int(doc["at_ms"])),
            outcome=AttemptOutcome(doc["outcome"]),
            error=doc.get("error"),
            status_code=None if code is None else int(code),
        )


@dataclass(frozen=True, slots=True)
class PageContent:
    """What a page says: a snapshot taken when it was requested."""

    incident_id: str | None
    """None for a test notification."""
    incident_number: int
    incident_title: str
    severity: str
    service_name: str
    alert_count: int

    def to_document(self) -> Document:
        return {
            "incident_id": self.incident_id,
            "incident_number": self.incident_number,
            "incident_title": self.incident_title,
            "severity": self.severity,
            "service_name": self.service_name,
            "alert_count": self.alert_count,
        }

    @classmethod
    def from_document(cls, doc: Document) -> PageContent:
        return cls(
            incident_id=doc.get("incident_id"),
            incident_number=int(doc["incident_number"]),
            incident_title=doc["incident_title"],
            severity=doc["severity"],
            service_name=doc["service_name"],
            alert_count=int(doc["alert_count"]),
        )


@dataclass(frozen=True, slots=True)
class UpdateContent:
    """A stakeholder update (domain/stakeholder) as it was posted."""

    status_update_id: str
    audience: str
    body: str
    state: str | None
    author: str
    incident_status: str
    posted_at: datetime

    def to_document(self) -> Document:
        return {
            "status_update_id": self.status_update_id,
            "audience": self.audience,
            "body": self.body,
            "state": self.state,
            "author": self.author,
            "incident_status": self.incident_status,
            "posted_ms": to_ms(self.posted_at),
        }

    @classmethod
    def from_document(cls, doc: Document) -> UpdateContent:
        return cls(
            status_update_id=doc["status_update_id"],
            audience=doc["audience"],
            body=doc["body"],
            state=doc.get("state"),
            author=doc["author"],
            incident_status=doc["incident_status"],
            posted_at=from_ms(int(doc["posted_ms"])),
        )


@dataclass(frozen=True, slots=True)
class Notice:
    """A message composed in full by its sender (a status page), sent as written."""

    subject: str
    text: str
    event: str
    """The webhook payload's `event`."""
    data: dict[str, Any]
    """The webhook payload's other fields."""

    def to_document(self) -> Document:
        return {"subject": self.subject, "text": self.text, "event": self.event, "data": self.data}

    @classmethod
    def from_document(cls, doc: Document) -> Notice:
        return cls(doc["subject"], doc["text"], doc["event"], dict(doc.get("data") or {}))


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: str
    dedup_key: str
    user_id: str
    user_name: str
    """For the timeline; the id when the user was not found."""
    contact_method_id: str | None
    """None when the user had no contact method: stored dead, so the miss shows."""
    kind: ContactKind | None
    content: PageContent
    step: int
    cycle: int
    send_after: datetime
    status: NotificationStatus
    due_ms: int
    created_at: datetime
    attempts: tuple[DeliveryAttempt, ...] = ()
    last_error: str | None = None
    lease: str | None = field(default=None, compare=False)
    update: UpdateContent | None = None
    """Set for a stakeholder update; None for a page."""
    subscription_id: str | None = None
    """An outside stakeholder's subscription, which holds the address (no contact method)."""
    notice: Notice | None = None
    """Set for a status page message (domain/statuspage): what to send, as written."""
    status_subscriber_id: str | None = None
    """A status page subscriber, which holds the address (no contact method)."""

    @property
    def incident_id(self) -> str | None:
        return self.content.incident_id

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "dedup_key": self.dedup_key,
            "incident_id": self.content.incident_id,
            "user_id": self.user_id,
            "user_name": self.user_name,
            "contact_method_id": self.contact_method_id,
            "kind": None if self.kind is None else self.kind.value,
            "content": self.content.to_document(),
            "step": self.step,
            "cycle": self.cycle,
            "send_after_ms": to_ms(self.send_after),
            "status": self.status.value,
            "due_ms": self.due_ms,
            "created_at": self.created_at,
            "attempts": [a.to_document() for a in self.attempts],
            "last_error": self.last_error,
            "lease": self.lease,
            "update": None if self.update is None else self.update.to_document(),
            "subscription_id": self.subscription_id,
            "notice": None if self.notice is None else self.notice.to_document(),
            "status_subscriber_id": self.status_subscriber_id,
        }

    @classmethod
    def from_document(cls, doc: Document) -> OutboxEntry:
        kind = doc.get("kind")
        update = doc.get("update")
        return cls(
            id=doc["_id"],
            dedup_key=doc["dedup_key"],
            user_id=doc["user_id"],
            user_name=doc.get("user_name") or doc["user_id"],
            contact_method_id=doc.get("contact_method_id"),
            kind=None if kind is None else ContactKind(kind),
            content=PageContent.from_document(doc["content"]),
            step=int(doc["step"]),
            cycle=int(doc["cycle"]),
            send_after=from_ms(int(doc["send_after_ms"])),
            status=NotificationStatus(doc["status"]),
            due_ms=int(doc["due_ms"]),
            created_at=doc["created_at"],
            attempts=tuple(DeliveryAttempt.from_document(a) for a in doc.get("attempts") or []),
            last_error=doc.get("last_error"),
            lease=doc.get("lease"),
            update=None if update is None else UpdateContent.from_document(update),
            subscription_id=doc.get("subscription_id"),
            notice=None if doc.get("notice") is None else Notice.from_document(doc["notice"]),
            status_subscriber_id=doc.get("status_subscriber_id"),
        )


class Outbox:
    """The only code that reads and writes the outbox."""

    def __init__(self, db: Database) -> None:
        self._entries = db[COLLECTION]

    async def add(self, entry: OutboxEntry) -> bool:
        """Store an entry; False when one with its dedup key exists (a repeated page)."""
        try:
            await self._entries.insert_one(entry.to_document())
        except DuplicateKeyError:
            return False
        return True

    async def claim(
        self, now_ms: int, lease_ms: int, *, entry_id: str | None = None
    ) -> OutboxEntry | None:
        """Take the longest-waiting due entry (or this one) for `lease_ms`; None if none is due."""
        query: Document = {"status": NotificationStatus.PENDING.value, "due_ms": {"$lte": now_ms}}
        if entry_id is not None:
            query["_id"] = entry_id
        doc = await take_due(
            self._entries,
            query,
            {"$set": {"due_ms": now_ms + lease_ms, "lease": secrets.token_hex(8)}},
            order_by="due_ms",
        )
        return None if doc is None else OutboxEntry.from_document(doc)

    async def record(
        self,
        entry: OutboxEntry,
        attempt: DeliveryAttempt,
        *,
        status: NotificationStatus,
        due_ms: int,
    ) -> bool:
        """Log an attempt and its consequence; False if the lease was lost meanwhile."""
        result = await self._entries.update_one(
            {"_id": entry.id, "lease": entry.lease},
            {
                "$set": {
                    "status": status.value,
                    "due_ms": due_ms,
                    "lease": None,
                    "last_error": attempt.error,
                    # The whole log, not $push: the embedded store pushes documents as
                    # strings. Only the lease holder writes here, so nothing is lost.
                    "attempts": [a.to_document() for a in (*entry.attempts, attempt)],
                },
            },
        )
        return result.modified_count == 1

    async def get(self, entry_id: str) -> OutboxEntry:
        doc = await self._entries.find_one({"_id": entry_id})
        if doc is None:
            raise NotFoundError(f"No notification with id '{entry_id}'.")
        return OutboxEntry.from_document(doc)

    async def of_incidents(self, incident_ids: list[str]) -> dict[str, list[OutboxEntry]]:
        """Each incident's notifications in creation order, in one query."""
        found: dict[str, list[OutboxEntry]] = {incident_id: [] for incident_id in incident_ids}
        cursor = self._entries.find({"incident_id": {"$in": incident_ids}}).sort("_id", ASCENDING)
        async for doc in cursor:
            found[doc["incident_id"]].append(OutboxEntry.from_document(doc))
        return found
