"""The only code that reads and writes the current correlation settings.

Their history is the audit log's (domain/audit), like every other configuration's.
"""

from __future__ import annotations

from domain.correlation.settings import CorrelationSettings
from domain.store.database import Database

SETTINGS_ID = "current"


class SettingsStore:
    def __init__(self, db: Database, defaults: CorrelationSettings) -> None:
        self._settings = db["correlation_settings"]
        self._defaults = defaults

    async def effective(self) -> CorrelationSettings:
        """The stored settings, else those the process started with."""
        doc = await self._settings.find_one({"_id": SETTINGS_ID})
        return CorrelationSettings.from_document(doc) if doc else self._defaults

    async def save(self, settings: CorrelationSettings) -> None:
        await self._settings.replace_one(
            {"_id": SETTINGS_ID}, {"_id": SETTINGS_ID, **settings.to_document()}, upsert=True
        )
