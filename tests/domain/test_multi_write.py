"""Writes to several collections: applied in order, stopping at the first that fails,
whether the server takes one client-level bulkWrite or gets one command per collection."""

from __future__ import annotations

import pytest
from pymongo.errors import PyMongoError

from domain.store import multi_write
from domain.store.database import Database
from domain.store.multi_write import insert, replace, send, update_many


async def write_in_order_then_fail(db: Database) -> None:
    notes, items = db["notes"], db["items"]
    await items.insert_one({"_id": "taken"})
    with pytest.raises(PyMongoError):
        await send(
            [
                insert(notes, {"_id": "note"}),
                replace(items, {"_id": "new"}, {"_id": "new", "n": 1}),
                update_many(items, {"_id": {"$in": ["taken", "new"]}}, {"$inc": {"n": 1}}),
                insert(items, {"_id": "taken"}),  # fails: the id is taken
                insert(notes, {"_id": "after the failure"}),
            ]
        )
    assert [d["_id"] async for d in notes.find({})] == ["note"]
    assert {d["_id"]: d.get("n") async for d in items.find({})} == {"taken": 1, "new": 2}


async def test_the_embedded_store_takes_one_client_level_bulk_write(db: Database) -> None:
    assert multi_write._takes_client_bulk_write(db["notes"])
    await write_in_order_then_fail(db)


async def test_an_older_server_gets_the_same_writes_per_collection(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MongoDB before 8.0 cannot run here: only the capability check is replaced.
    monkeypatch.setattr(multi_write, "_takes_client_bulk_write", lambda collection: False)
    await write_in_order_then_fail(db)
