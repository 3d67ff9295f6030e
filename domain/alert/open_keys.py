"""Which alert fires under each open key: the deduplication lookup.

Every ingest asks which firing alerts hold the keys it was sent. The embedded store
answers ``_id`` lookups from its primary key but scans the whole collection for
``$in`` on any other field, so asking the alerts themselves would slow down with every
alert ever stored. One claim per firing alert, whose ``_id`` is the open key, keeps
the lookup on the primary key; the same ``_id`` makes the key unique among firing
alerts, on the embedded store and on MongoDB alike.

A claim is written before its alert and released after its alert resolves. A crash in
between leaves a claim whose alert is missing (an orphan) or resolved (stale): readers
release those, so the key opens again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo import DeleteOne

from domain.store.database import Database
from domain.store.duplicates import insert_unless_taken
from domain.store.timestamps import from_ms, to_ms

ORPHAN_GRACE = timedelta(seconds=60)
"""A claim younger than this may belong to an alert another batch is still storing."""


@dataclass(frozen=True, slots=True)
class Claim:
    key: str
    alert_id: str
    claimed_at: datetime

    def is_orphaned(self, now: datetime) -> bool:
        """True for a claim old enough that its missing alert is never coming."""
        return self.claimed_at < now - ORPHAN_GRACE


class OpenKeys:
    def __init__(self, db: Database) -> None:
        self._claims = db["open_keys"]

    async def claim(self, claims: Sequence[Claim]) -> set[str]:
        """Claim keys for new firing alerts; return the keys another alert holds already."""
        taken = await insert_unless_taken(
            self._claims,
            [
                {"_id": c.key, "alert_id": c.alert_id, "claimed_ms": to_ms(c.claimed_at)}
                for c in claims
            ],
        )
        return {claims[index].key for index in taken}

    async def of_keys(self, keys: Iterable[str]) -> list[Claim]:
        cursor = self._claims.find({"_id": {"$in": list(set(keys))}})
        return [
            Claim(doc["_id"], doc["alert_id"], from_ms(doc["claimed_ms"])) async for doc in cursor
        ]

    async def release(self, held: Iterable[tuple[str, str]]) -> None:
        """Release (key, alert id) claims; a key claimed since by another alert stays."""
        deletes = [DeleteOne({"_id": key, "alert_id": alert_id}) for key, alert_id in held]
        if deletes:
            await self._claims.bulk_write(deletes, ordered=False)
