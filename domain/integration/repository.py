"""The only code that reads and writes integration keys."""

from __future__ import annotations

from domain.errors import NotFoundError
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

    async def get(self, key_id: str) -> IntegrationKey:
        doc = await self._keys.find_one({"_id": key_id})
        if doc is None:
            raise NotFoundError(f"No integration key with id '{key_id}'.")
        return IntegrationKey.from_document(doc)

    async def of_service(self, service_id: str | None) -> list[IntegrationKey]:
        """The keys bound to `service_id`; None: the keys bound to no service."""
        cursor = self._keys.find({"service_id": service_id}).sort("_id", 1)
        return [IntegrationKey.from_document(doc) async for doc in cursor]

    async def delete(self, key_id: str) -> None:
        result = await self._keys.delete_one({"_id": key_id})
        if result.deleted_count == 0:
            raise NotFoundError(f"No integration key with id '{key_id}'.")
