"""An incident's opening entry, kept on the incident's own document."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.ids import new_id
from domain.incident.model import Incident, TimelineEntry, TimelineKind
from domain.incident.opening import opening_field, opening_of, openings
from domain.store.database import Database
from tests.support import stored_incident

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _incident() -> Incident:
    return stored_incident(service_id="api", at=T0, alerts=2)


def _opening(incident: Incident) -> TimelineEntry:
    return TimelineEntry(
        id=incident.id,
        incident_id=incident.id,
        at=incident.created_at,
        kind=TimelineKind.OPENED,
        actor="integration:prometheus",
        message="Opened by alert: disk full",
        details={"alert_ids": ["a1", "a2"], "reason": "same service within 5 minutes"},
    )


def test_the_opening_reads_back_from_the_incident_document_as_it_was_written() -> None:
    incident = _incident()
    entry = _opening(incident)

    stored = {**incident.to_document(), **opening_field(entry)}

    assert opening_of(stored) == entry
    assert opening_of(incident.to_document()) is None, "an incident opened before keeps none"


async def test_openings_are_read_for_the_incidents_that_keep_one(db: Database) -> None:
    keeping, older = _incident(), _incident()
    await db["incidents"].insert_many(
        [{**keeping.to_document(), **opening_field(_opening(keeping))}, older.to_document()]
    )

    found = await openings(db["incidents"], [keeping.id, older.id, new_id()])

    assert found == {keeping.id: _opening(keeping)}
    assert await openings(db["incidents"], []) == {}
