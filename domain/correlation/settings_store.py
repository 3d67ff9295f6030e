"""The only code that reads and writes correlation settings and their history."""

from __future__ import annotations

from domain.correlation.settings import CorrelationSettings, SettingsChange
from domain.store.database import Database

_CURRENT = "current"


class SettingsStore:
    def __init__(self, db: Database) -> None:
        self._settings = db["correlation_settings"]
        self._history = db["correlation_settings_history"]

    async def current(self) -> CorrelationSettings | None:
        doc = await self._settings.find_one({"_id": _CURRENT})
        return CorrelationSettings.from_document(doc) if doc else None

    async def change(self, change: SettingsChange) -> None:
        """Record the change in the history, then make it current."""
        await self._history.insert_one(change.to_document())
        await self._settings.replace_one(
            {"_id": _CURRENT}, {"_id": _CURRENT, **change.new.to_document()}, upsert=True
        )

    async def history(self, limit: int) -> list[SettingsChange]:
        """Newest first."""
        cursor = self._history.find({}).sort("at_ms", -1).limit(limit)
        return [SettingsChange.from_document(doc) async for doc in cursor]
