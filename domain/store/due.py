"""Taking the longest-waiting due document of a polled queue, atomically.

Background loops (escalation runs, the notification outbox) ask every tick for the
due document that has waited longest and lease it. One `find_one_and_update` with a
sort does that in one round trip, but the embedded store serves a `findAndModify`
with a sort by reading the whole collection, whatever its indexes: every tick then
reads every run or notification ever stored. So the candidates are found with a
`find` (served from a single-field index on the query's equality) and each is taken
by its `_id` with the same conditions, which stays atomic: a candidate another worker
took meanwhile no longer matches and the next one is tried.
"""

from __future__ import annotations

from pymongo import ASCENDING, ReturnDocument

from domain.store.database import Collection, Document

CANDIDATES = 8
"""Candidates read at a time: enough that workers racing for the same ones rarely need
a second read."""


async def take_due(
    collection: Collection, query: Document, update: Document, *, order_by: str
) -> Document | None:
    """Apply `update` to the matching document that comes first by `order_by` (ascending)
    and return it as updated; None when nothing matches."""
    while True:
        cursor = collection.find(query, {"_id": 1}).sort(order_by, ASCENDING).limit(CANDIDATES)
        candidates = [doc["_id"] async for doc in cursor]
        for candidate in candidates:
            taken: Document | None = await collection.find_one_and_update(
                {**query, "_id": candidate}, update, return_document=ReturnDocument.AFTER
            )
            if taken is not None:
                return taken
        if len(candidates) < CANDIDATES:
            return None
