"""The only code that reads and writes analysts' feedback."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.feedback.model import Feedback
from domain.store.database import Database
from domain.store.timestamps import to_ms


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self._feedback = db["correlation_feedback"]

    async def insert(self, feedback: Feedback) -> None:
        await self._feedback.insert_one(feedback.to_document())

    async def latest(self, limit: int) -> list[Feedback]:
        cursor = self._feedback.find({}).sort("at_ms", -1).limit(limit)
        return [Feedback.from_document(doc) async for doc in cursor]

    async def made_since(self, moment: datetime) -> list[Feedback]:
        """Feedback made at `moment` or later, oldest first."""
        cursor = self._feedback.find({"at_ms": {"$gte": to_ms(moment)}}).sort("at_ms", 1)
        return [Feedback.from_document(doc) async for doc in cursor]

    async def about(self, incident_ids: Iterable[str]) -> list[Feedback]:
        """Feedback that touched any of these incidents, oldest first."""
        wanted = list(set(incident_ids))
        if not wanted:
            return []
        cursor = self._feedback.find({"incident_ids": {"$in": wanted}}).sort("at_ms", 1)
        return [Feedback.from_document(doc) async for doc in cursor]
