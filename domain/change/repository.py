"""The only code that reads and writes change events."""

from __future__ import annotations

from domain.change.model import ChangeEvent, ChangeWindow
from domain.store.database import Database
from domain.store.timestamps import to_ms


class ChangeEventRepository:
    def __init__(self, db: Database) -> None:
        self._changes = db["change_events"]

    async def insert_many(self, changes: list[ChangeEvent]) -> None:
        if changes:
            await self._changes.insert_many([change.to_document() for change in changes])

    async def within(self, window: ChangeWindow) -> list[ChangeEvent]:
        cursor = (
            self._changes.find(
                {
                    "service_id": {"$in": list(window.service_ids)},
                    "occurred_ms": {"$gte": to_ms(window.since), "$lte": to_ms(window.until)},
                }
            )
            .sort("occurred_ms", -1)
            .limit(window.limit)
        )
        return [ChangeEvent.from_document(doc) async for doc in cursor]
