"""The only code that reads and writes schedules (layers and overrides are embedded).

Edits are read-modify-write of the whole document, guarded by a ``revision``
counter: two admins editing one schedule at once cannot silently undo each
other's change (the loser retries on the fresh version).
"""

from __future__ import annotations

from domain.auth import Principal
from domain.errors import NotFoundError
from domain.schedule.model import Schedule
from domain.store.database import Database, Document
from domain.store.documents import DocumentRepository
from domain.store.scope import within_teams


class ScheduleRepository(DocumentRepository[Schedule]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "schedules", Schedule.from_document, noun="schedule")

    async def with_user(self, user_id: str, reader: Principal | None = None) -> list[Schedule]:
        """Schedules that can put ``user_id`` on call (a rotation or an override names them);
        only those ``reader`` may read when given."""
        query: Document = {
            "$or": [{"layers.participants": user_id}, {"overrides.user_id": user_id}]
        }
        return await self.where(within_teams(query, reader) if reader else query)

    async def create(self, schedule: Schedule) -> None:
        await self._collection.insert_one({**schedule.to_document(), "revision": 1})

    async def load(self, schedule_id: str) -> tuple[Schedule, int]:
        """The schedule and its revision, to hand back to :meth:`save_if_unchanged`."""
        doc = await self._collection.find_one({"_id": schedule_id})
        if doc is None:
            raise NotFoundError(f"No schedule with id '{schedule_id}'.")
        return Schedule.from_document(doc), int(doc.get("revision", 0))

    async def save_if_unchanged(self, schedule: Schedule, revision: int) -> bool:
        """Write ``schedule`` if it is still at ``revision``; False when someone wrote first."""
        current: Document = {"_id": schedule.id, "revision": revision}
        if revision == 0:  # written by plain insert, before any guarded edit
            current["revision"] = {"$exists": False}
        result = await self._collection.replace_one(
            current, {**schedule.to_document(), "revision": revision + 1}
        )
        if (
            result.matched_count == 0
            and await self._collection.count_documents({"_id": schedule.id}, limit=1) == 0
        ):
            raise NotFoundError(f"No schedule with id '{schedule.id}'.")
        return result.matched_count == 1
