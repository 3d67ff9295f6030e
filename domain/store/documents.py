"""The plain CRUD every configuration noun needs, written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from domain.errors import NotFoundError
from domain.store.database import Database, Document


class Storable(Protocol):
    @property
    def id(self) -> str: ...

    def to_document(self) -> Document: ...


T = TypeVar("T", bound=Storable)


class DocumentRepository(Generic[T]):
    """One collection of one type, addressed by id."""

    def __init__(
        self, db: Database, collection: str, parse: Callable[[Document], T], *, noun: str
    ) -> None:
        self._collection = db[collection]
        self._parse = parse
        self.noun = noun

    async def insert(self, item: T) -> None:
        await self._collection.insert_one(item.to_document())

    async def replace(self, item: T) -> None:
        result = await self._collection.replace_one({"_id": item.id}, item.to_document())
        if result.matched_count == 0:
            raise NotFoundError(f"No {self.noun} with id '{item.id}'.")

    async def delete(self, item_id: str) -> None:
        result = await self._collection.delete_one({"_id": item_id})
        if result.deleted_count == 0:
            raise NotFoundError(f"No {self.noun} with id '{item_id}'.")

    async def get(self, item_id: str) -> T:
        doc = await self._collection.find_one({"_id": item_id})
        if doc is None:
            raise NotFoundError(f"No {self.noun} with id '{item_id}'.")
        return self._parse(doc)

    async def all(self) -> list[T]:
        return await self.where({})

    async def where(self, query: Document) -> list[T]:
        return [self._parse(doc) async for doc in self._collection.find(query).sort("_id", 1)]
