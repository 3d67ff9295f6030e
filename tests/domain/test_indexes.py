"""The embedded store gets the indexes it reads or enforces; MongoDB gets every one."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, IndexModel

from domain.store.database import Collection, Database
from domain.store.indexes import (
    INDEXES,
    RETIRED,
    RangeIndex,
    ensure_indexes,
    read_by_embedded,
)


async def _keys(collection: Collection) -> list[list[tuple[str, Any]]]:
    info = await collection.index_information()
    return sorted([(str(f), int(d)) for f, d in spec["key"]] for spec in info.values())


def test_the_embedded_store_gets_single_field_and_unique_indexes_only() -> None:
    assert read_by_embedded(IndexModel([("status", ASCENDING)]))
    assert read_by_embedded(
        IndexModel([("page_id", ASCENDING), ("address", ASCENDING)], unique=True)
    )
    assert not read_by_embedded(IndexModel([("status", ASCENDING), ("due_ms", ASCENDING)]))
    assert not read_by_embedded(RangeIndex([("received_at", ASCENDING)]))


async def test_unread_indexes_are_dropped_on_the_embedded_store(db: Database) -> None:
    alerts = db["alerts"]
    # As a version that created every index everywhere left them.
    await alerts.create_indexes(INDEXES["alerts"])

    await ensure_indexes(db, embedded=True)

    assert await _keys(alerts) == [
        [("_id", 1)],
        [("incident_id", 1)],
        [("open_key", 1)],
        [("status", 1)],
    ]
    subscribers = await _keys(db["status_page_subscribers"])
    assert [("page_id", 1), ("address", 1)] in subscribers, "a unique compound index stays"


async def test_mongodb_gets_every_index(db: Database) -> None:
    await ensure_indexes(db, embedded=False)

    assert len(await _keys(db["alerts"])) == len(INDEXES["alerts"]) + 1  # and `_id`
    assert [("received_at", 1)] in await _keys(db["alerts"])


async def test_retired_indexes_are_dropped_wherever_they_are(db: Database) -> None:
    incidents = db["incidents"]
    # As the version before the `open` flag left them on MongoDB.
    await incidents.create_indexes([IndexModel(keys) for keys in RETIRED["incidents"]])

    await ensure_indexes(db, embedded=False)

    remaining = await _keys(incidents)
    assert not [keys for keys in RETIRED["incidents"] if keys in remaining]
    assert [("open", 1), ("last_event_ms", 1)] in remaining
