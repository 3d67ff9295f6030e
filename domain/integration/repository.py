"""The only code that reads and writes integration keys."""

from __future__ import annotations

from domain.integration.model import IntegrationKey
from domain.store.database import Database


class IntegrationKeyRepository:
    def __init__(self, db: Database) -> None:
        self._keys = db["integration_keys"]

    async def insert(self, key: IntegrationKey) -> None:
        await self._keys.insert_one(key.to_document())

    async def by_secret_hash(self, secret_hash: str) -> IntegrationKey | None:
        doc = await self._keys.find_one({"secret_hash": secret_hash})
        return IntegrationKey.from_document(doc) if doc else None
