"""The only code that reads and writes calendar feeds."""

from __future__ import annotations

from domain.calendar.model import CalendarFeed, FeedStatus
from domain.store.database import Database
from domain.store.documents import DocumentRepository


class CalendarFeedRepository(DocumentRepository[CalendarFeed]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "calendar_feeds", CalendarFeed.from_document, noun="calendar feed")

    async def active_by_secret_hash(self, secret_hash: str) -> CalendarFeed | None:
        doc = await self._collection.find_one(
            {"secret_hash": secret_hash, "status": FeedStatus.ACTIVE.value}
        )
        return CalendarFeed.from_document(doc) if doc else None

    async def revoke(self, feed_id: str, now_ms: int) -> bool:
        """False when it was already revoked."""
        result = await self._collection.update_one(
            {"_id": feed_id, "status": FeedStatus.ACTIVE.value},
            {"$set": {"status": FeedStatus.REVOKED.value, "revoked_at_ms": now_ms}},
        )
        return result.modified_count == 1
