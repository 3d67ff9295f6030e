"""Writes to several collections in one round trip.

A collection's `bulk_write` costs one command per collection and kind of write
(insert, update). MongoDB 8.0 and nx-27017 also take one client-level `bulkWrite`
carrying writes to several collections, applied in the order given and stopping at
the first error, so a write-ahead note still lands before what it covers. An older
MongoDB gets one `bulk_write` per run of writes to the same collection, in the same
order. Repositories build the writes (they alone know their documents); a use case
that has several to make at one point sends them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from pymongo import InsertOne, ReplaceOne, UpdateMany, UpdateOne
from pymongo.errors import ClientBulkWriteException, PyMongoError

from domain.store.database import Collection, Document

CLIENT_BULK_WRITE_WIRE_VERSION = 25
"""MongoDB 8.0, the first to take the client-level bulkWrite command."""

Model = InsertOne[Document] | ReplaceOne[Document] | UpdateOne | UpdateMany


@dataclass(frozen=True, slots=True)
class Write:
    collection: Collection
    model: Model


def insert(collection: Collection, document: Document) -> Write:
    return Write(collection, InsertOne(document, namespace=collection.full_name))


def replace(collection: Collection, filter: Document, document: Document) -> Write:
    """Replace the matching document, or insert this one if none matches."""
    return Write(
        collection,
        ReplaceOne(filter, document, upsert=True, namespace=collection.full_name),
    )


def update_one(collection: Collection, filter: Document, update: Document) -> Write:
    return Write(collection, UpdateOne(filter, update, namespace=collection.full_name))


def update_many(collection: Collection, filter: Document, update: Document) -> Write:
    return Write(collection, UpdateMany(filter, update, namespace=collection.full_name))


async def send(writes: Sequence[Write]) -> None:
    """Apply the writes in order, stopping at the first that fails."""
    if not writes:
        return
    client = writes[0].collection.database.client
    if _takes_client_bulk_write(writes[0].collection):
        try:
            await client.bulk_write([w.model for w in writes], ordered=True)
        except ClientBulkWriteException as exc:
            # A lost or frozen store must surface as itself (the API answers it with
            # STORE_UNAVAILABLE), as it does from any other write.
            if isinstance(exc.error, PyMongoError):
                raise exc.error from exc
            raise
        return
    for _, run in groupby(writes, key=lambda w: w.collection.full_name):
        batch = list(run)
        await batch[0].collection.bulk_write([w.model for w in batch], ordered=True)


def _takes_client_bulk_write(collection: Collection) -> bool:
    """Whether the servers this client has met all take the client-level bulkWrite
    (read from what the driver already knows: no round trip)."""
    servers = collection.database.client.topology_description.server_descriptions().values()
    versions = [s.max_wire_version for s in servers if s.is_server_type_known]
    return bool(versions) and min(versions) >= CLIENT_BULK_WRITE_WIRE_VERSION
