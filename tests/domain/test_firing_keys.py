"""One firing alert per open key: the store's unique index decides, whoever writes, and
the lone writer's in-memory map of firing keys (domain/alert/firing_keys.py) finds each
key's alert by `_id`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.alert.firing_keys import FiringKeys
from domain.alert.model import Alert
from domain.alert.repository import AlertRepository
from domain.store.database import Database
from tests.support import LiveServer, stored_alert, unique

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _firing(service_id: str, dedup_key: str) -> Alert:
    return stored_alert(
        service_id=service_id, service="svc", at=NOW, dedup_key=dedup_key, summary="disk full"
    )


def _repository(db: Database, *, keeps_map: bool) -> AlertRepository:
    return AlertRepository(db, FiringKeys(db["alerts"]) if keeps_map else None)


async def _assert_the_key_opens_again(alerts: AlertRepository, before: Alert) -> None:
    """A new alert under `before`'s key is stored, and the lookup finds it."""
    again = _firing(before.service_id, "disk")
    assert await alerts.insert_new([again]) == set()
    assert (await alerts.firing_by_open_keys([before.open_key]))[before.open_key].id == again.id


@pytest.mark.parametrize("keeps_map", [True, False], ids=["lone-writer", "replicas"])
async def test_a_second_alert_under_a_firing_key_is_refused_and_not_stored(
    server: LiveServer, keeps_map: bool
) -> None:
    alerts = _repository(server.app.state.runtime.db, keeps_map=keeps_map)
    first = _firing(unique("svc"), "disk")
    second = _firing(first.service_id, "disk")

    assert await alerts.insert_new([first]) == set()
    assert await alerts.insert_new([second]) == {first.open_key}
    assert list(await alerts.by_ids([first.id, second.id])) == [first.id]
    found = await alerts.firing_by_open_keys([first.open_key])
    assert found[first.open_key].id == first.id


@pytest.mark.parametrize("keeps_map", [True, False], ids=["lone-writer", "replicas"])
async def test_resolving_frees_the_key_for_a_new_alert(server: LiveServer, keeps_map: bool) -> None:
    alerts = _repository(server.app.state.runtime.db, keeps_map=keeps_map)
    first = _firing(unique("svc"), "disk")
    await alerts.insert_new([first])

    await alerts.resolve([first], NOW)

    assert await alerts.firing_by_open_keys([first.open_key]) == {}
    await _assert_the_key_opens_again(alerts, first)


async def test_the_map_starts_from_the_alerts_already_firing(server: LiveServer) -> None:
    db = server.app.state.runtime.db
    before_restart = _repository(db, keeps_map=True)
    firing, resolved = _firing(unique("svc"), "disk"), _firing(unique("svc"), "cpu")
    await before_restart.insert_new([firing, resolved])
    await before_restart.resolve([resolved], NOW)

    after_restart = _repository(db, keeps_map=True)

    found = await after_restart.firing_by_open_keys([firing.open_key, resolved.open_key])
    assert {key: alert.id for key, alert in found.items()} == {firing.open_key: firing.id}


async def test_a_key_another_writer_stored_is_refused_then_found(server: LiveServer) -> None:
    db = server.app.state.runtime.db
    lone = _repository(db, keeps_map=True)
    await lone.firing_by_open_keys([])  # the map is read now, before the other writer stores
    other = _firing(unique("svc"), "disk")
    await _repository(db, keeps_map=False).insert_new([other])
    mine = _firing(other.service_id, "disk")

    assert await lone.firing_by_open_keys([other.open_key]) == {}, "unknown to the map"
    assert await lone.insert_new([mine]) == {other.open_key}, "the index refuses it"
    found = await lone.firing_by_open_keys([other.open_key])
    assert found[other.open_key].id == other.id
    assert await db["alerts"].count_documents({"open_key": other.open_key}) == 1


async def test_an_alert_another_writer_resolved_no_longer_holds_its_key(
    server: LiveServer,
) -> None:
    db = server.app.state.runtime.db
    lone = _repository(db, keeps_map=True)
    stored = _firing(unique("svc"), "disk")
    await lone.insert_new([stored])

    await _repository(db, keeps_map=False).resolve([stored], NOW)

    assert await lone.firing_by_open_keys([stored.open_key]) == {}
    await _assert_the_key_opens_again(lone, stored)


async def test_an_alert_whose_insert_never_landed_holds_no_key(server: LiveServer) -> None:
    db = server.app.state.runtime.db
    keys = FiringKeys(db["alerts"])
    lone = AlertRepository(db, keys)
    lost = _firing(unique("svc"), "disk")
    # As if the insert had failed after the map recorded it.
    await keys.record(lost.open_key, lost.id)

    assert await lone.firing_by_open_keys([lost.open_key]) == {}
    await _assert_the_key_opens_again(lone, lost)


async def test_claims_of_a_database_from_before_the_unique_index_are_dropped_once(
    server: LiveServer,
) -> None:
    db = server.app.state.runtime.db.client[unique("legacy")]
    await db["open_keys"].insert_one({"_id": "s1|disk", "alert_id": "a1", "claimed_ms": 1})
    alerts = AlertRepository(db)

    assert await alerts.drop_open_key_claims() is True
    assert await alerts.drop_open_key_claims() is False
    assert "open_keys" not in await db.list_collection_names()
    await server.app.state.runtime.db.client.drop_database(db.name)
