"""Taking the longest-waiting due document of a polled queue (`domain/store/due.py`)."""

from __future__ import annotations

import asyncio

from domain.store.database import Database
from domain.store.due import CANDIDATES, take_due

DUE = {"state": "waiting", "due_ms": {"$lte": 1_000}}


async def test_the_longest_waiting_due_document_is_taken_and_returned_as_updated(
    db: Database,
) -> None:
    queue = db["queue"]
    await queue.insert_many(
        [
            {"_id": "later", "state": "waiting", "due_ms": 900},
            {"_id": "not-yet", "state": "waiting", "due_ms": 5_000},
            {"_id": "first", "state": "waiting", "due_ms": 100},
            {"_id": "done", "state": "sent", "due_ms": 50},
        ]
    )

    taken = await take_due(queue, DUE, {"$set": {"state": "leased"}}, order_by="due_ms")
    then = await take_due(queue, DUE, {"$set": {"state": "leased"}}, order_by="due_ms")
    none_left = await take_due(queue, DUE, {"$set": {"state": "leased"}}, order_by="due_ms")

    assert taken == {"_id": "first", "state": "leased", "due_ms": 100}
    assert then is not None and then["_id"] == "later"
    assert none_left is None
    assert await queue.find_one({"_id": "not-yet"}) == {
        "_id": "not-yet",
        "state": "waiting",
        "due_ms": 5_000,
    }


async def test_workers_racing_for_more_than_a_read_of_candidates_take_each_once(
    db: Database,
) -> None:
    queue = db["queue"]
    count = CANDIDATES * 3
    await queue.insert_many(
        [{"_id": f"n{n:03}", "state": "waiting", "due_ms": n} for n in range(count)]
    )

    async def worker(name: str) -> list[str]:
        mine = []
        while taken := await take_due(
            queue, DUE, {"$set": {"state": "leased", "by": name}}, order_by="due_ms"
        ):
            mine.append(taken["_id"])
        return mine

    results = await asyncio.gather(*(worker(f"w{n}") for n in range(6)))

    taken_ids = [doc_id for mine in results for doc_id in mine]
    assert sorted(taken_ids) == [f"n{n:03}" for n in range(count)], "each taken exactly once"
    for name, mine in zip([f"w{n}" for n in range(6)], results, strict=True):
        assert await queue.count_documents({"by": name}) == len(mine)
