"""The only code that reads and writes schedules (layers and overrides are embedded)."""

from __future__ import annotations

from domain.schedule.model import Schedule
from domain.store.database import Database
from domain.store.documents import DocumentRepository


class ScheduleRepository(DocumentRepository[Schedule]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "schedules", Schedule.from_document, noun="schedule")

    async def with_user(self, user_id: str) -> list[Schedule]:
        """Schedules that can put ``user_id`` on call (a rotation or an override names them)."""
        return await self.where(
            {"$or": [{"layers.participants": user_id}, {"overrides.user_id": user_id}]}
        )
