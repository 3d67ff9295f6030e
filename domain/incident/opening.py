"""An incident's "opened" timeline entry, kept on the incident rather than in the timeline.

Ingest opens about 15 incidents in a batch of 100 alerts (sim-boutique), and storing each
one's opening as a timeline document cost about 8% of ingest throughput on the embedded
store, where every document inserted is copied, encoded and indexed one by one. So the
opening travels inside the incident's own document, written with it, and the timeline
readers show it as the incident's first entry. It takes the incident's id as its own: ids
grow with time, so it sorts before every entry written after the incident, as the stored
one did. Incidents opened before this kept their stored opening entry and have no
`opening_json`.

The entry is written before the batch's alerts, so in the rare race where a concurrent
sender stores one of the batch's new alerts first, its `alert_ids` still name the copy
this batch did not store (the incident counts the other sender's alert instead).
"""

from __future__ import annotations

import json
from collections.abc import Collection

from domain.incident.model import TimelineEntry, TimelineKind
from domain.store.database import Collection as StoreCollection
from domain.store.database import Document

FIELD = "opening_json"


def opening_field(entry: TimelineEntry) -> Document:
    """The field holding `entry` on its incident's document.

    A JSON string rather than a sub-document: nothing queries inside it, and the embedded
    store copies and encodes each nested object of a document on every write of it.
    """
    return {
        FIELD: json.dumps(
            {"actor": entry.actor, "message": entry.message, "details": entry.details},
            separators=(",", ":"),
        )
    }


def opening_of(incident: Document) -> TimelineEntry | None:
    """The opening entry an incident's document keeps, if it keeps one."""
    raw = incident.get(FIELD)
    if not raw:
        return None
    kept = json.loads(raw)
    return TimelineEntry(
        id=incident["_id"],
        incident_id=incident["_id"],
        at=incident["created_at"],
        kind=TimelineKind.OPENED,
        actor=kept["actor"],
        message=kept["message"],
        details=dict(kept.get("details") or {}),
    )


async def openings(incidents: StoreCollection, ids: Collection[str]) -> dict[str, TimelineEntry]:
    """Incident id -> the opening entry it keeps, for those of `ids` that keep one."""
    if not ids:
        return {}
    cursor = incidents.find({"_id": {"$in": list(ids)}}, {FIELD: 1, "created_at": 1})
    found: dict[str, TimelineEntry] = {}
    async for doc in cursor:
        entry = opening_of(doc)
        if entry is not None:
            found[entry.incident_id] = entry
    return found
