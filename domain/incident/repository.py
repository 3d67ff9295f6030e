"""The only code that reads and writes incidents and their timelines."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta

from pymongo import ReturnDocument, UpdateOne
from pymongo.errors import DuplicateKeyError

from domain.incident.model import (
    OPEN_STATUSES,
    Incident,
    IncidentFilter,
    TimelineEntry,
)
from domain.incident.opening import opening_field, openings
from domain.store.database import Database, Document
from domain.store.multi_write import Write, insert, replace, update_one
from domain.store.pagination import (
    Page,
    PageRequest,
    newest_first,
    pages_per_owner,
)
from domain.store.scope import within_services
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

    def writes(
        self,
        opened: list[Incident],
        growth: dict[str, Document],
        openings: Mapping[str, TimelineEntry],
    ) -> list[Write]:
        """Writes inserting new incidents, each with its opening entry from `openings` (see
        domain/incident/opening.py), and applying updates to existing ones (incident id ->
        MongoDB update document)."""
        # A new incident is written as an upserted replacement, not an insert: its id is
        # new, so the upsert always inserts, and inserts and updates then travel in one
        # `update` command.
        return [
            replace(
                self._incidents,
                {"_id": incident.id},
                {**incident.to_document(), **opening_field(openings[incident.id])},
            )
            for incident in opened
        ] + [update_one(self._incidents, {"_id": i}, update) for i, update in growth.items()]

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
        given services or of all; in creation order."""
        query: Document = {"open": "yes", "last_event_ms": {"$gte": to_ms(active_since)}}
        if service_ids is not None:
            query["service_id"] = {"$in": list(service_ids)}
        documents = await self._incidents.find(query).to_list(None)
        return [Incident.from_document(doc) for doc in sorted(documents, key=_by_id)]

    async def flag_open(self) -> int:
        """Give open incidents stored before the `open` flag (see `status_fields`) theirs;
        return how many. Incidents without it count as not open, so resolved ones need
        none."""
        flagged = 0
        for status in OPEN_STATUSES:
            result = await self._incidents.update_many(
                {"status": status, "open": {"$exists": False}}, {"$set": {"open": "yes"}}
            )
            flagged += result.modified_count
        return flagged

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
        wanted = list(set(ids))
        if not wanted:
            return {}
        cursor = self._incidents.find({"_id": {"$in": wanted}})
        return {doc["_id"]: Incident.from_document(doc) async for doc in cursor}

    async def transition(
        self,
        incident_id: str,
        from_statuses: list[str],
        changes: Document,
        services: Collection[str] | None = None,
    ) -> Incident | None:
        """Apply `changes` only if the incident is still in one of `from_statuses`, and is
        of one of `services` when given (the caller's permitted ones)."""
        doc = await self._incidents.find_one_and_update(
            within_services({"_id": incident_id, "status": {"$in": from_statuses}}, services),
            {"$set": changes},
            return_document=ReturnDocument.AFTER,
        )
        return Incident.from_document(doc) if doc else None

    async def page(
        self, where: IncidentFilter, page: PageRequest, services: Collection[str] | None = None
    ) -> Page[Incident]:
        """Newest first, of `services` only when given (the caller's readable ones)."""
        query = within_services(where.to_query(), services)
        return await newest_first(self._incidents, query, page, Incident.from_document)

    async def ids_of_services(self, service_ids: Collection[str]) -> list[str]:
        """Ids of every incident of these services (a caller's readable scope)."""
        cursor = self._incidents.find({"service_id": {"$in": list(service_ids)}}, {"_id": 1})
        return [doc["_id"] async for doc in cursor]

    async def add_timeline(self, entries: list[TimelineEntry]) -> None:
        if entries:
            await self._timeline.insert_many([e.to_document() for e in entries])

    def timeline_writes(self, entries: list[TimelineEntry]) -> list[Write]:
        return [insert(self._timeline, entry.to_document()) for entry in entries]

    async def timeline_pages(
        self, incident_ids: list[str], page: PageRequest
    ) -> dict[str, Page[TimelineEntry]]:
        kept = await openings(self._incidents, set(incident_ids))
        return await pages_per_owner(
            self._timeline,
            owner_field="incident_id",
            owner_ids=incident_ids,
            page=page,
            parse=TimelineEntry.from_document,
            unstored={i: entry.to_document() for i, entry in kept.items()},
        )

    async def created_between(
        self, start: datetime, end: datetime, services: Collection[str] | None = None
    ) -> list[Incident]:
        """Incidents created in [start, end), for reports; of `services` only when given."""
        # The embedded store compares dates to the whole second: ask a second wider,
        # then cut exactly here.
        second = timedelta(seconds=1)
        query = {"created_at": {"$gte": start - second, "$lt": end + second}}
        cursor = self._incidents.find(within_services(query, services))
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


def open_among(
    incidents: list[Incident], active_since: datetime, service_ids: Iterable[str] | None
) -> list[Incident]:
    """Of open incidents read for a wider range, those `open_since(active_since,
    service_ids)` would read: its conditions, applied in memory, order kept."""
    bound = to_ms(active_since)
    services = None if service_ids is None else set(service_ids)
    return [
        i
        for i in incidents
        if to_ms(i.last_event_at) >= bound and (services is None or i.service_id in services)
    ]


def _by_id(doc: Document) -> str:
    return str(doc["_id"])
