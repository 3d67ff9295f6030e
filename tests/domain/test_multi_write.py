"""Writes to several collections: applied in order, stopping at the first that fails,
and counted once however busy the store is."""

from __future__ import annotations

import asyncio

import pytest
from pymongo.errors import PyMongoError

from domain.store.database import Database
from domain.store.multi_write import (
    insert,
    replace,
    send,
    send_unordered,
    update_many,
    update_one,
)


async def test_writes_apply_in_order_and_stop_at_the_first_failure(db: Database) -> None:
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


async def test_an_increment_counts_once_while_other_commands_change_nothing(
    db: Database,
) -> None:
    # The embedded store ran a client-level bulkWrite beside commands on the same
    # database; an update there changing no row made an increment apply twice.
    counters, claims = db["counters"], db["claims"]
    await counters.insert_one({"_id": "c", "n": 0})
    sends, senders = 150, 4
    stop = asyncio.Event()

    async def increment() -> None:
        for _ in range(sends):
            await send([update_one(counters, {"_id": "c"}, {"$inc": {"n": 1}})])

    async def change_nothing() -> None:
        while not stop.is_set():
            await claims.update_one({"_id": "absent"}, {"$set": {"x": 1}})
            await claims.delete_many({"_id": {"$in": ["absent"]}})

    idle = [asyncio.create_task(change_nothing()) for _ in range(3)]
    try:
        await asyncio.gather(*(increment() for _ in range(senders)))
    finally:
        stop.set()
        await asyncio.gather(*idle)
    assert await counters.find_one({"_id": "c"}) == {"_id": "c", "n": sends * senders}


async def test_unordered_writes_land_per_collection_whatever_the_others_do(db: Database) -> None:
    notes, items = db["unordered_notes"], db["unordered_items"]
    await items.insert_one({"_id": "taken"})
    with pytest.raises(PyMongoError):
        await send_unordered(
            [
                insert(items, {"_id": "first"}),
                insert(notes, {"_id": "a"}),
                insert(items, {"_id": "taken"}),  # fails: the id is taken
                insert(notes, {"_id": "b"}),
                insert(items, {"_id": "after the failure"}),
            ]
        )
    assert [d["_id"] async for d in notes.find({})] == ["a", "b"]
    assert {d["_id"] async for d in items.find({})} == {"taken", "first"}
