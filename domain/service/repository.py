"""The only code that reads and writes services."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo.errors import DuplicateKeyError

from domain.errors import ConflictError
from domain.service.model import Service
from domain.store.database import Database


class ServiceRepository:
    def __init__(self, db: Database) -> None:
        self._services = db["services"]

    async def insert(self, service: Service) -> None:
        try:
            await self._services.insert_one(service.to_document())
        except DuplicateKeyError as exc:
            raise ConflictError(f"A service named '{service.name}' already exists.") from exc

    async def insert_missing(self, services: list[Service]) -> None:
        """Insert services by name, ignoring names that exist (a concurrent caller won)."""
        for service in services:
            try:
                await self._services.insert_one(service.to_document())
            except DuplicateKeyError:
                continue

    async def replace(self, service: Service) -> None:
        await self._services.replace_one({"_id": service.id}, service.to_document())

    async def with_alert_timeout(self) -> list[Service]:
        cursor = self._services.find({"alert_timeout_s": {"$ne": None}})
        return [Service.from_document(doc) async for doc in cursor]

    async def by_ids(self, ids: Iterable[str]) -> dict[str, Service]:
        cursor = self._services.find({"_id": {"$in": list(set(ids))}})
        return {doc["_id"]: Service.from_document(doc) async for doc in cursor}

    async def by_names(self, names: Iterable[str]) -> dict[str, Service]:
        cursor = self._services.find({"name": {"$in": list(set(names))}})
        return {doc["name"]: Service.from_document(doc) async for doc in cursor}

    async def all(self) -> list[Service]:
        cursor = self._services.find({}).sort("name", 1)
        return [Service.from_document(doc) async for doc in cursor]

    async def owners(self) -> dict[str, str | None]:
        """Each service's owning team slug (None when no team owns it)."""
        cursor = self._services.find({}, {"team": 1})
        return {doc["_id"]: doc.get("team") async for doc in cursor}
