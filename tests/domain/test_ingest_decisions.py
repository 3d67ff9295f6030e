"""The decision log replicas share for a correlator that remembers
(domain/ingest/decisions.py). Two `DecisionLog` objects stand for two replicas."""

from __future__ import annotations

import pytest

from domain.ingest import decisions
from domain.ingest.decisions import DecisionLog
from domain.store.database import Database
from domain.store.multi_write import send
from tests.domain.test_alert_model import T0, make_alert


async def test_a_replica_learns_what_the_other_decided_in_order_and_once(db: Database) -> None:
    mine, theirs = DecisionLog(db), DecisionLog(db)
    await send(mine.record(1, {"i1": [make_alert(id="a1")]}))
    await send(theirs.record(2, {"i2": [make_alert(id="b1", occurred_at=T0)]}))
    await send(theirs.record(3, {"i1": [make_alert(id="b2"), make_alert(id="b3")]}))

    learned = await mine.catch_up(3)
    assert [(facts.id, incident) for facts, incident in learned] == [
        ("b1", "i2"),
        ("b2", "i1"),
        ("b3", "i1"),
    ], "its own entry left out"
    assert learned[0][0].occurred_at == T0 and learned[0][0].service == "checkout-api"
    assert await mine.catch_up(3) == [], "each entry once"


async def test_a_new_replica_takes_only_the_latest_entries(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = DecisionLog(db)
    for number in range(1, 6):
        await send(writer.record(number, {"i": [make_alert(id=f"a{number}")]}))
    monkeypatch.setattr(decisions, "MAX_BEHIND", 2)
    latest = await DecisionLog(db).catch_up(5)
    assert [facts.id for facts, _ in latest] == ["a4", "a5"]


async def test_each_entry_removes_the_one_kept_entries_before_it(db: Database) -> None:
    log = DecisionLog(db)
    await send(log.record(1, {"i": [make_alert(id="a1")]}))
    await send(log.record(1 + decisions.KEEP, {"i": [make_alert(id="a2")]}))
    assert [doc["_id"] async for doc in db[decisions.COLLECTION].find({})] == [1 + decisions.KEEP]
