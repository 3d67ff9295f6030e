"""What the other replicas decided, for a correlator that remembers (the learned engine).

With several replicas each batch decides under the store lease (`claim.py`), and a
learned engine knows only the alerts its own process decided. So every batch decided
under the lease leaves an entry, numbered in the order of the holds: its alerts'
facts and the incidents they went to. The next holder, on whichever replica, reads the
entries after the last one it has seen and gives them to its correlator before it
decides; the lease document carries the number of the latest entry, so the read is by
primary key. Each entry removes the one `KEEP` before it, so the log stays bounded.

A replica that starts, or falls further behind than `MAX_BEHIND` entries, takes the
latest ones only; a correlator skips alerts it already holds (at start-up it was warmed
from the stored alerts). Merges and splits reach the other replicas' correlators through
`domain/correlation/regrouping_follower.py`, and the live correlator restores an entry's
alerts into the incidents people moved them to since (`domain/correlation/regrouped.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from correlation import AlertFacts
from domain.alert.model import Alert
from domain.correlation.facts import facts_of
from domain.ids import new_id
from domain.store.database import Database, Document
from domain.store.multi_write import Write, delete_one, replace
from domain.store.timestamps import from_ms, to_ms

COLLECTION = "ingest_decisions"
KEEP = 10_000
MAX_BEHIND = 200


class DecisionLog:
    def __init__(self, db: Database) -> None:
        self._entries = db[COLLECTION]
        self._replica = new_id()
        self._seen: int | None = None

    async def catch_up(self, latest: int) -> list[tuple[AlertFacts, str]]:
        """The alerts other replicas decided in the entries after the last one seen, up
        to ``latest``, in the order they were decided."""
        first = 1 if self._seen is None else self._seen + 1
        self._seen = latest
        numbers = list(range(max(first, latest - MAX_BEHIND + 1), latest + 1))
        if not numbers:
            return []
        entries = sorted(
            [doc async for doc in self._entries.find({"_id": {"$in": numbers}})],
            key=lambda doc: int(doc["_id"]),
        )
        return [
            (_facts(alert), alert["incident"])
            for entry in entries
            if entry["replica"] != self._replica
            for alert in entry["alerts"]
        ]

    def record(self, number: int, members: Mapping[str, Sequence[Alert]]) -> list[Write]:
        """Writes leaving entry ``number`` for the batch's alerts (incident id -> alerts)."""
        self._seen = number
        entry = {
            "_id": number,
            "replica": self._replica,
            "alerts": [
                _document(alert, incident_id)
                for incident_id, alerts in members.items()
                for alert in alerts
            ],
        }
        # A replace, not an insert: a holder whose lease ran out may have used the number.
        return [
            replace(self._entries, {"_id": number}, entry),
            delete_one(self._entries, {"_id": number - KEEP}),
        ]


def _document(alert: Alert, incident_id: str) -> Document:
    facts = facts_of(alert)
    return {
        "id": facts.id,
        "incident": incident_id,
        "service": facts.service,
        "at_ms": to_ms(facts.occurred_at),
        "severity": facts.severity,
        "source": facts.source,
        "summary": facts.summary,
        "labels": dict(facts.labels),
    }


def _facts(doc: Document) -> AlertFacts:
    return AlertFacts(
        id=doc["id"],
        service=doc["service"],
        occurred_at=from_ms(doc["at_ms"]),
        severity=doc["severity"],
        source=doc["source"],
        summary=doc["summary"],
        labels=doc["labels"],
    )
