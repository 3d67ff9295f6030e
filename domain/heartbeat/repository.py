"""The only code that reads and writes heartbeats.

State changes are conditional updates, so concurrent checkers and pings agree on
one outcome.
"""

from __future__ import annotations

from pymongo import ReturnDocument

from domain.heartbeat.model import Heartbeat, HeartbeatStatus
from domain.store.database import Database
from domain.store.documents import DocumentRepository


class HeartbeatRepository(DocumentRepository[Heartbeat]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "heartbeats", Heartbeat.from_document, noun="heartbeat")

    async def by_secret_hash(self, secret_hash: str) -> Heartbeat | None:
        doc = await self._collection.find_one({"secret_hash": secret_hash})
        return Heartbeat.from_document(doc) if doc else None

    async def record_ping(self, heartbeat: Heartbeat, now_ms: int) -> HeartbeatStatus:
        """Mark it UP, due again one interval from now; return the status it had."""
        before = await self._collection.find_one_and_update(
            {"_id": heartbeat.id},
            {
                "$set": {
                    "status": HeartbeatStatus.UP.value,
                    "last_ping_ms": now_ms,
                    "due_ms": now_ms + heartbeat.interval_s * 1000,
                }
            },
            return_document=ReturnDocument.BEFORE,
        )
        return HeartbeatStatus(before["status"]) if before else HeartbeatStatus.WAITING

    async def overdue(self, now_ms: int) -> list[Heartbeat]:
        return await self.where({"status": HeartbeatStatus.UP.value, "due_ms": {"$lt": now_ms}})

    async def mark_down(self, heartbeat_id: str, now_ms: int) -> bool:
        """DOWN if still overdue; False when a ping came in first."""
        result = await self._collection.update_one(
            {"_id": heartbeat_id, "status": HeartbeatStatus.UP.value, "due_ms": {"$lt": now_ms}},
            {"$set": {"status": HeartbeatStatus.DOWN.value}},
        )
        return result.modified_count == 1
