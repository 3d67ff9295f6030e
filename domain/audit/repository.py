"""The only code that reads and writes audit entries."""

from __future__ import annotations

from domain.audit.model import AuditEntry, AuditFilter
from domain.store.database import Database
from domain.store.pagination import Page, PageRequest, newest_first

COLLECTION = "audit_log"


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._entries = db[COLLECTION]

    async def insert(self, entry: AuditEntry) -> None:
        await self._entries.insert_one(entry.to_document())

    async def latest(self, where: AuditFilter, limit: int) -> list[AuditEntry]:
        cursor = self._entries.find(where.to_query()).sort("_id", -1).limit(limit)
        return [AuditEntry.from_document(doc) async for doc in cursor]

    async def page(self, where: AuditFilter, page: PageRequest) -> Page[AuditEntry]:
        """Newest first: entry ids are ObjectIds made when the change was recorded."""
        return await newest_first(self._entries, where.to_query(), page, AuditEntry.from_document)
