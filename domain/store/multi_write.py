"""Writes to several collections, sent together at one point of a use case.

Repositories build the writes (they alone know their documents); a use case that has
several to make at one point sends them with `send`, which applies them in the order
given and stops at the first that fails, so a write-ahead note still lands before
what it covers. Consecutive writes to one collection travel as one `bulk_write`.

Not the client-level `bulkWrite` of MongoDB 8.0, although nx-27017 takes it too:
nx-27017 (0.8.1) serialises each command under a lock chosen by the command's
database, and a client-level `bulkWrite` names `admin`, so it runs alongside other
commands on the same SQLite connection. Under that overlap an `$inc` was applied
twice (its row count read back as another statement's), which miscounted incidents;
`tests/domain/test_multi_write.py` reproduces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from pymongo import DeleteOne, InsertOne, ReplaceOne, UpdateMany, UpdateOne

from domain.store.database import Collection, Document
from domain.tasks import settle

Model = InsertOne[Document] | ReplaceOne[Document] | UpdateOne | UpdateMany | DeleteOne


@dataclass(frozen=True, slots=True)
class Write:
    collection: Collection
    model: Model


def insert(collection: Collection, document: Document) -> Write:
    return Write(collection, InsertOne(document))


def replace(collection: Collection, filter: Document, document: Document) -> Write:
    """Replace the matching document, or insert this one if none matches."""
    return Write(collection, ReplaceOne(filter, document, upsert=True))


def update_one(collection: Collection, filter: Document, update: Document) -> Write:
    return Write(collection, UpdateOne(filter, update))


def update_many(collection: Collection, filter: Document, update: Document) -> Write:
    return Write(collection, UpdateMany(filter, update))


def delete_one(collection: Collection, filter: Document) -> Write:
    return Write(collection, DeleteOne(filter))


async def send(writes: Sequence[Write]) -> None:
    """Apply the writes in order, stopping at the first that fails."""
    for _, run in groupby(writes, key=lambda w: w.collection.full_name):
        await _bulk(list(run))


async def send_unordered(writes: Sequence[Write]) -> None:
    """Apply writes whose order does not matter: one command per collection, all sent at
    once, so a use case waits for one round trip instead of one per collection. Within a
    collection they apply in order up to the first failure, as with `send`; a failure
    stops no other collection's writes, and is raised once all have ended."""
    by_collection: dict[str, list[Write]] = {}
    for write in writes:
        by_collection.setdefault(write.collection.full_name, []).append(write)
    await settle(*(_bulk(batch) for batch in by_collection.values()))


async def _bulk(batch: list[Write]) -> None:
    await batch[0].collection.bulk_write([w.model for w in batch], ordered=True)
