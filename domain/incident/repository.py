"""The only code that reads and writes incidents and their timelines."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from pymongo import ReturnDocument, UpdateOne
from pymongo.errors import DuplicateKeyError

from domain.incident.model import (
    OPEN_STATUSES,
    Incident,
    IncidentFilter,
    TimelineEntry,
)
from domain.store.database import Database, Document
from domain.store.pagination import (
    Page,
    PageRequest,
    newest_first,
    pages_per_owner,
)
from domain.store.timestamps import to_ms


class IncidentRepository:
    def __init__(self, db: Database) -> None:
        self._incidents = db["incidents"]
        self._timeline = db["timeline"]
        self._counters = db["counters"]

    async def allocate_numbers(self, count: int) -> int:
        """Reserve `count` consecutive incident numbers; return the first."""
        doc = await self._counters.find_one_and_update(
            {"_id": "incident_number"},
            {"$inc": {"value": count}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None
        return int(doc["value"]) - count + 1

    async def insert_many(self, incidents: list[Incident]) -> None:
        if incidents:
            await self._incidents.insert_many([i.to_document() for i in incidents])

    async def insert_missing(self, incident: Incident) -> None:
        """Insert unless an incident with this id exists (recovery)."""
        with contextlib.suppress(DuplicateKeyError):
            await self._incidents.insert_one(incident.to_document())

    async def recount(self, incident: Incident) -> None:
        """Overwrite an incident's counts and event-time bounds (recovery)."""
        doc = incident.to_document()
        await self._incidents.update_one(
            {"_id": incident.id},
            {
                "$set": {
                    key: doc[key]
                    for key in (
                        "alert_count",
                        "open_alert_count",
                        "first_event_ms",
                        "last_event_ms",
                        "severity",
                    )
                }
            },
        )

    async def delete(self, incident_id: str) -> None:
        await self._incidents.delete_one({"_id": incident_id})

    async def withdraw(self, incident_id: str, alerts: int) -> None:
        """Uncount alerts; an incident left with none is removed."""
        after = await self._incidents.find_one_and_update(
            {"_id": incident_id},
            {"$inc": {"alert_count": -alerts, "open_alert_count": -alerts}},
            return_document=ReturnDocument.AFTER,
        )
        if after is not None and after["alert_count"] <= 0:
            await self._incidents.delete_one({"_id": incident_id, "alert_count": {"$lte": 0}})

    async def open_since(
        self, active_since: datetime, service_ids: Iterable[str] | None
    ) -> list[Incident]:
        """Open incidents with an alert at or after `active_since` (event time), of the
        given services or of all."""
        query: Document = {
            "status": {"$in": OPEN_STATUSES},
            "last_event_ms": {"$gte": to_ms(active_since)},
        }
        if service_ids is not None:
            query["service_id"] = {"$in": list(service_ids)}
        return [Incident.from_document(doc) async for doc in self._incidents.find(query)]

    async def apply_updates(self, updates: dict[str, Document]) -> None:
        """Incident id -> MongoDB update document, in one round trip."""
        if updates:
            await self._incidents.bulk_write(
                [
                    UpdateOne({"_id": incident_id}, update)
                    for incident_id, update in updates.items()
                ],
                ordered=False,
            )

    async def by_ids(self, ids: Iterable[str]) -> dict[str, Incident]:
        cursor = self._incidents.find({"_id": {"$in": list(set(ids))}})
        return {doc["_id"]: Incident.from_document(doc) async for doc in cursor}

    async def transition(
        self, incident_id: str, from_statuses: list[str], changes: Document
    ) -> Incident | None:
        """Apply `changes` only if the incident is still in one of `from_statuses`."""
        doc = await self._incidents.find_one_and_update(
            {"_id": incident_id, "status": {"$in": from_statuses}},
            {"$set": changes},
            return_document=ReturnDocument.AFTER,
        )
        return Incident.from_document(doc) if doc else None

    async def page(self, where: IncidentFilter, page: PageRequest) -> Page[Incident]:
        """Newest first."""
        return await newest_first(self._incidents, where.to_query(), page, Incident.from_document)

    async def add_timeline(self, entries: list[TimelineEntry]) -> None:
        if entries:
            await self._timeline.insert_many([e.to_document() for e in entries])

    async def timeline_pages(
        self, incident_ids: list[str], page: PageRequest
    ) -> dict[str, Page[TimelineEntry]]:
        return await pages_per_owner(
            self._timeline,
            owner_field="incident_id",
            owner_ids=incident_ids,
            page=page,
            parse=TimelineEntry.from_document,
        )

    async def created_between(self, start: datetime, end: datetime) -> list[Incident]:
        """Incidents created in [start, end), for reports."""
        # The embedded store compares dates to the whole second: ask a second wider,
        # then cut exactly here.
        second = timedelta(seconds=1)
        cursor = self._incidents.find({"created_at": {"$gte": start - second, "$lt": end + second}})
        found = [Incident.from_document(doc) async for doc in cursor]
        return [incident for incident in found if start <= incident.created_at < end]

    async def recently_resolved(
        self, limit: int, service_id: str | None = None, since: datetime | None = None
    ) -> list[Incident]:
        """The most recently resolved incidents, of one service or of all, resolved at or
        after `since` if given."""
        query: Document = {"status": "resolved"}
        if service_id is not None:
            query["service_id"] = service_id
        if since is not None:
            query["resolved_ms"] = {"$gte": to_ms(since)}
        cursor = self._incidents.find(query).sort("resolved_ms", -1).limit(limit)
        return [Incident.from_document(doc) async for doc in cursor]

    async def resolved_ids(self, limit: int) -> list[str]:
        """The most recently resolved incidents (reviewed history for learning)."""
        cursor = (
            self._incidents.find({"status": "resolved"}, {"_id": 1})
            .sort("resolved_ms", -1)
            .limit(limit)
        )
        return [doc["_id"] async for doc in cursor]
