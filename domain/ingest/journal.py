"""A write-ahead note for each batch that attaches alerts to incidents.

Alerts are stored with their incident already named, then the incidents are
written. A note written before and deleted after tells a later start-up which
incidents a crash may have left unwritten or miscounted, so they can be
recounted from their alerts (`AlertIngestor.recover_interrupted`).

A note names the incidents its batch opens by id and number only: should one never be
written, recovery opens it anew from the alerts that name it, as the batch would have.

Finished notes are deleted in groups (every `END_GROUP` batches, and before each
recovery pass), not one delete per batch: a note whose batch finished but which a
crash kept from being deleted only makes recovery recount correct incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.ids import new_id
from domain.incident.model import Incident
from domain.store.database import Database, Document
from domain.store.multi_write import Write, insert


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: str
    at: datetime
    opened: dict[str, int]
    """Incidents the batch opened: id -> number."""
    touched: list[str]


END_GROUP = 32


class IngestJournal:
    def __init__(self, db: Database) -> None:
        self._entries = db["ingest_journal"]
        self._ended: list[str] = []

    async def begin(self, opened: list[Incident], touched: set[str], at: datetime) -> str:
        entry = _entry(opened, touched, at)
        await self._entries.insert_one(entry)
        return str(entry["_id"])

    def note(self, opened: list[Incident], touched: set[str], at: datetime) -> tuple[str, Write]:
        """`begin` as a write, to send first in one round trip with the writes it covers."""
        entry = _entry(opened, touched, at)
        return str(entry["_id"]), insert(self._entries, entry)

    async def end(self, entry_id: str) -> None:
        self._ended.append(entry_id)
        if len(self._ended) >= END_GROUP:
            await self.flush()

    async def flush(self) -> None:
        """Delete the notes of finished batches."""
        ended, self._ended = self._ended, []
        if ended:
            await self._entries.delete_many({"_id": {"$in": ended}})

    async def older_than(self, moment: datetime) -> list[JournalEntry]:
        """Notes of batches that may have died half-way (finished ones are flushed first)."""
        await self.flush()
        cursor = self._entries.find({"at": {"$lt": moment}})
        return [
            JournalEntry(
                id=doc["_id"],
                at=doc["at"],
                # Notes written before 2026-11-27 hold whole incidents: these two fields too.
                opened={d["_id"]: int(d["number"]) for d in doc["opened"]},
                touched=list(doc["touched"]),
            )
            async for doc in cursor
        ]


def _entry(opened: list[Incident], touched: set[str], at: datetime) -> Document:
    return {
        "_id": new_id(),
        "at": at,
        "opened": [{"_id": incident.id, "number": incident.number} for incident in opened],
        "touched": sorted(touched),
    }
