"""The store lease under which replicas decide incidents (domain/ingest/claim.py).

Two `StoreLease` objects stand for two replicas: they share only the store.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from domain.clock import SystemClock
from domain.ingest.claim import CLAIM_ID, COLLECTION, StoreLease
from domain.store.database import Database
from domain.store.timestamps import to_ms


async def test_two_replicas_never_hold_the_lease_at_once(db: Database) -> None:
    replicas = [StoreLease(db, SystemClock()), StoreLease(db, SystemClock())]
    holding: list[int] = []
    overlaps = 0
    holds = 0

    async def batch(replica: int) -> None:
        nonlocal overlaps, holds
        async with replicas[replica].held():
            holding.append(replica)
            overlaps += len(holding) > 1
            await asyncio.sleep(0.002)  # a store round trip or two
            holding.remove(replica)
            holds += 1

    await asyncio.gather(*(batch(n % 2) for n in range(40)))
    assert (holds, overlaps) == (40, 0)
    released = await db[COLLECTION].find_one({"_id": CLAIM_ID})
    assert released is not None and released["owner"] == ""


async def test_a_lease_left_by_a_dead_replica_is_taken_once_it_runs_out(db: Database) -> None:
    now = to_ms(datetime.now(UTC))
    await db[COLLECTION].insert_one({"_id": CLAIM_ID, "owner": "dead", "until_ms": now + 300})
    lease = StoreLease(db, SystemClock())
    started = asyncio.get_running_loop().time()
    async with lease.held():
        waited = asyncio.get_running_loop().time() - started
        held = await db[COLLECTION].find_one({"_id": CLAIM_ID})
        assert held is not None and held["owner"] != "dead"
    assert 0.2 <= waited < 2.0


async def test_the_lease_hands_the_latest_decision_entry_to_the_next_holder(
    db: Database,
) -> None:
    first, second = StoreLease(db, SystemClock()), StoreLease(db, SystemClock())
    async with first.held() as hold:
        assert hold.latest_entry == 0
        hold.recorded = 1
    async with second.held() as hold:
        assert hold.latest_entry == 1, "the entry the last holder left"
    async with first.held() as hold:
        assert hold.latest_entry == 1, "a holder that left none keeps the number"
