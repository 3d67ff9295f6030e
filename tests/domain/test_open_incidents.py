"""The open incidents ingest correlates against (`IncidentRepository.open_since`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.incident.model import Incident, IncidentStatus
from domain.incident.repository import IncidentRepository, open_among
from domain.store.database import Database
from tests.support import stored_incident

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _incident(service_id: str, status: IncidentStatus, last: datetime) -> Incident:
    return stored_incident(
        service_id=service_id, at=last - timedelta(minutes=1), last_event_at=last, status=status
    )


async def test_open_incidents_of_either_open_status_with_recent_events_in_creation_order(
    db: Database,
) -> None:
    acknowledged = _incident("api", IncidentStatus.ACKNOWLEDGED, T0)
    triggered = _incident("api", IncidentStatus.TRIGGERED, T0 + timedelta(minutes=2))
    resolved = _incident("api", IncidentStatus.RESOLVED, T0)
    quiet = _incident("api", IncidentStatus.TRIGGERED, T0 - timedelta(hours=1))
    elsewhere = _incident("db", IncidentStatus.TRIGGERED, T0)
    incidents = [acknowledged, triggered, resolved, quiet, elsewhere]
    await db["incidents"].insert_many([incident.to_document() for incident in incidents])
    repository = IncidentRepository(db)

    of_api = await repository.open_since(T0 - timedelta(minutes=5), ["api"])
    of_all = await repository.open_since(T0 - timedelta(minutes=5), None)

    assert [i.id for i in of_api] == [acknowledged.id, triggered.id]
    assert [i.id for i in of_all] == [acknowledged.id, triggered.id, elsewhere.id]
    assert of_api[0].status is IncidentStatus.ACKNOWLEDGED


async def test_open_incidents_stored_before_the_open_flag_are_flagged_once(db: Database) -> None:
    triggered = _incident("api", IncidentStatus.TRIGGERED, T0)
    acknowledged = _incident("api", IncidentStatus.ACKNOWLEDGED, T0)
    resolved = _incident("api", IncidentStatus.RESOLVED, T0)
    # As an older version stored them: without the `open` flag.
    older = [i.to_document() for i in (triggered, acknowledged, resolved)]
    for doc in older:
        del doc["open"]
    await db["incidents"].insert_many(older)
    repository = IncidentRepository(db)
    assert await repository.open_since(T0 - timedelta(minutes=5), None) == []

    assert await repository.flag_open() == 2
    assert await repository.flag_open() == 0

    found = await repository.open_since(T0 - timedelta(minutes=5), None)
    assert sorted(i.id for i in found) == sorted([triggered.id, acknowledged.id])
    stored = await db["incidents"].find_one({"_id": resolved.id})
    assert stored is not None and "open" not in stored


async def test_narrowing_a_wider_read_gives_what_the_narrower_read_gives(db: Database) -> None:
    incidents = [
        _incident(service, IncidentStatus.TRIGGERED, T0 + timedelta(minutes=minutes))
        for service in ("api", "db", "web")
        for minutes in (-30, -4, 0, 3)
    ]
    await db["incidents"].insert_many([incident.to_document() for incident in incidents])
    repository = IncidentRepository(db)
    wide = await repository.open_since(T0 - timedelta(hours=1), None)

    for since, services in [
        (T0 - timedelta(minutes=5), ["api"]),
        (T0, ["api", "web"]),
        (T0 + timedelta(minutes=3), None),
        (T0 - timedelta(minutes=4), []),
    ]:
        narrow = await repository.open_since(since, services)
        assert [i.id for i in open_among(wide, since, services)] == [i.id for i in narrow]
