"""Which alert fires under each open key, kept in memory by the one process that writes
alerts: the deduplication lookup's index.

Every ingest asks which firing alerts hold the keys it was sent. The embedded store
answers ``_id`` lookups from its primary key but reads the whole collection for ``$in``
on any other field, so asking by ``open_key`` would slow down with every alert ever
stored. A process that is the only writer of alerts (no Redis broadcast URL) keeps
open key -> alert id for every firing alert instead, read once from the firing alerts
at first use and kept as it stores and resolves alerts; the lookup then reads alerts by
``_id`` only. Several replicas each store alerts the others cannot see here, so they ask
the store by ``open_key`` (an index lookup on MongoDB) and keep no map.

The store stays the judge either way. A unique index on ``open_key`` (resolved alerts
carry ``closed|<id>``) refuses a second firing alert under a key, whoever sent it, and
every id this map names is read back and checked before it counts: an entry whose alert
resolved or was never stored simply finds nothing.

Memory: one entry per firing alert, about 150 bytes; 100,000 alerts firing at once
hold about 15 MB.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from domain.store.database import Collection


class FiringKeys:
    def __init__(self, alerts: Collection) -> None:
        self._alerts = alerts
        self._ids: dict[str, str] = {}
        self._loaded = False
        self._loading = asyncio.Lock()

    async def ids_of(self, keys: Iterable[str]) -> dict[str, str]:
        """Open key -> the id of the alert last known to fire under it, for the keys known."""
        await self._load_once()
        return {key: self._ids[key] for key in keys if key in self._ids}

    async def record(self, key: str, alert_id: str) -> None:
        """Remember an alert stored (or about to be) under a key: an id whose insert then
        fails names no alert, and lookups find nothing under it."""
        await self._load_once()
        self._ids[key] = alert_id

    def forget(self, key: str, alert_id: str) -> None:
        """Drop a key's entry, unless another alert holds the key since."""
        if self._ids.get(key) == alert_id:
            del self._ids[key]

    async def _load_once(self) -> None:
        if self._loaded:
            return
        async with self._loading:
            if self._loaded:
                return
            # An equality on `status`, which the embedded store serves from its index.
            cursor = self._alerts.find({"status": "firing"}, {"open_key": 1})
            async for doc in cursor:
                self._ids[doc["open_key"]] = doc["_id"]
            self._loaded = True
