"""Open-key claims: one firing alert per key, and what a crash leaves behind is released."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, IndexModel

from domain.alert.model import Alert, AlertStatus
from domain.alert.open_keys import ORPHAN_GRACE, Claim, OpenKeys
from domain.alert.repository import AlertRepository
from domain.ids import new_id
from tests.support import LiveServer, stored_alert, unique

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _firing(service_id: str, dedup_key: str) -> Alert:
    return stored_alert(
        service_id=service_id, service="svc", at=NOW, dedup_key=dedup_key, summary="disk full"
    )


async def test_a_second_alert_under_a_claimed_key_is_refused_and_not_stored(
    server: LiveServer,
) -> None:
    alerts = AlertRepository(server.app.state.runtime.db)
    first = _firing(unique("svc"), "disk")
    second = _firing(first.service_id, "disk")

    assert await alerts.insert_new([first]) == set()
    assert await alerts.insert_new([second]) == {first.open_key}
    assert list(await alerts.by_ids([first.id, second.id])) == [first.id]
    found = await alerts.firing_by_open_keys([first.open_key], NOW)
    assert found[first.open_key].id == first.id


async def test_resolving_releases_the_key_for_a_new_alert(server: LiveServer) -> None:
    alerts = AlertRepository(server.app.state.runtime.db)
    first = _firing(unique("svc"), "disk")
    await alerts.insert_new([first])

    await alerts.resolve([first], NOW)

    assert await alerts.firing_by_open_keys([first.open_key], NOW) == {}
    again = _firing(first.service_id, "disk")
    assert await alerts.insert_new([again]) == set()


async def test_a_claim_whose_alert_resolved_is_released_by_the_next_lookup(
    server: LiveServer,
) -> None:
    db = server.app.state.runtime.db
    alerts = AlertRepository(db)
    first = _firing(unique("svc"), "disk")
    await alerts.insert_new([first])
    # A crash between resolving the alert and releasing its claim.
    await db["alerts"].update_one({"_id": first.id}, {"$set": {"status": "resolved"}})

    assert await alerts.firing_by_open_keys([first.open_key], NOW) == {}
    assert await db["open_keys"].count_documents({"_id": first.open_key}) == 0


async def test_an_orphaned_claim_is_released_only_after_its_grace(server: LiveServer) -> None:
    db = server.app.state.runtime.db
    alerts = AlertRepository(db)
    key = f"{unique('svc')}|disk"
    # A crash between claiming the key and storing the alert.
    assert await OpenKeys(db).claim([Claim(key, new_id(), NOW)]) == set()

    assert await alerts.firing_by_open_keys([key], NOW + ORPHAN_GRACE / 2) == {}
    assert await db["open_keys"].count_documents({"_id": key}) == 1, "may still be stored"
    assert await alerts.firing_by_open_keys([key], NOW + ORPHAN_GRACE + timedelta(seconds=1)) == {}
    assert await db["open_keys"].count_documents({"_id": key}) == 0


async def test_a_database_from_before_claims_is_migrated_once(server: LiveServer) -> None:
    db = server.app.state.runtime.db.client[unique("legacy")]
    legacy = db["alerts"]
    await legacy.create_indexes([IndexModel([("open_key", ASCENDING)], unique=True)])
    firing, resolved = _firing("s1", "disk"), _firing("s1", "cpu")
    resolved.status = AlertStatus.RESOLVED
    await legacy.insert_many([firing.to_document(), resolved.to_document()])
    alerts = AlertRepository(db)

    assert await alerts.migrate_open_keys() == 1
    assert await alerts.migrate_open_keys() == 0, "the legacy index is gone: nothing to do"
    assert not [info for info in (await legacy.index_information()).values() if info.get("unique")]
    found = await alerts.firing_by_open_keys([firing.open_key], NOW)
    assert found[firing.open_key].id == firing.id
    assert await alerts.insert_new([_firing("s1", "disk")]) == {firing.open_key}
    await server.app.state.runtime.db.client.drop_database(db.name)
