"""AlertRepository against the embedded store: resolving, and mending what older versions
stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.alert.model import Alert, AlertStatus
from domain.alert.repository import AlertRepository
from domain.store.database import Database
from domain.store.timestamps import to_ms
from tests.support import stored_alert

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _alert(key: str) -> Alert:
    return stored_alert(service_id="svc", service="api", at=T0, dedup_key=key)


async def test_resolving_stores_when_the_alert_was_resolved(db: Database) -> None:
    firing = _alert("disk")
    await db["alerts"].insert_one(firing.to_document())
    resolved_at = T0 + timedelta(minutes=7)
    await AlertRepository(db).resolve([firing], resolved_at)

    [stored] = (await AlertRepository(db).by_ids([firing.id])).values()
    assert stored.status is AlertStatus.RESOLVED
    assert stored.resolved_at == resolved_at
    assert stored.last_seen_at == resolved_at


async def test_alerts_resolved_by_an_older_version_get_their_resolution_time_once(
    db: Database,
) -> None:
    older, firing = _alert("older"), _alert("firing")
    resolved_at = T0 + timedelta(minutes=3)
    # As resolving used to write it: the time in a field nothing reads.
    document = older.to_document() | {"status": "resolved", "resolved_at": resolved_at}
    await db["alerts"].insert_many([document, firing.to_document()])
    repository = AlertRepository(db)

    assert await repository.mend_resolution_times() == 1
    assert await repository.mend_resolution_times() == 0

    stored = await repository.by_ids([older.id, firing.id])
    assert stored[older.id].resolved_at == resolved_at
    assert stored[older.id].last_seen_at == resolved_at
    assert stored[firing.id].resolved_at is None
    raw = await db["alerts"].find_one({"_id": firing.id})
    assert raw is not None and raw["last_seen_ms"] == to_ms(T0)
