"""Inserting documents some of which may be stored already (a unique key taken)."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.errors import BulkWriteError

from domain.store.database import Collection, Document

DUPLICATE_KEY = 11000


async def insert_unless_taken(collection: Collection, documents: Sequence[Document]) -> set[int]:
    """Insert every document whose unique keys are free; return the indexes of those whose
    key was taken. Any other write error is raised."""
    if not documents:
        return set()
    try:
        await collection.insert_many(list(documents), ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error.get("code") != DUPLICATE_KEY for error in errors):
            raise
        return {int(error["index"]) for error in errors}
    return set()
