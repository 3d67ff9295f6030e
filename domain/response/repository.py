"""The only code that writes an incident's response state (roles, responders, priority,
type, custom fields) and timeline pins.

Each change is one atomic ``find_one_and_update`` returning the document *before*
it, so the caller learns what was replaced (the previous commander) without a race.
"""

from __future__ import annotations

from pymongo import ReturnDocument

from domain.incident.model import Incident, TimelineEntry
from domain.incident.opening import openings
from domain.store.database import Database, Document
from domain.store.pagination import Page, PageRequest, pages_per_owner


class ResponseRepository:
    def __init__(self, db: Database) -> None:
        self._incidents = db["incidents"]
        self._timeline = db["timeline"]

    async def update(self, incident_id: str, update: Document) -> Incident | None:
        """Apply `update` to one incident; the incident as it was before, None if unknown."""
        doc = await self._incidents.find_one_and_update(
            {"_id": incident_id}, update, return_document=ReturnDocument.BEFORE
        )
        return Incident.from_document(doc) if doc else None

    async def forget_role(self, role_id: str) -> None:
        """A deleted role leaves every incident (its history stays on the timelines)."""
        path = f"roles.{role_id}"
        await self._incidents.update_many({path: {"$exists": True}}, {"$unset": {path: ""}})

    async def forget_type(self, type_id: str) -> None:
        await self._incidents.update_many({"type_id": type_id}, {"$set": {"type_id": None}})

    async def forget_field(self, field_id: str) -> None:
        path = f"custom_fields.{field_id}"
        await self._incidents.update_many({path: {"$exists": True}}, {"$unset": {path: ""}})

    async def entry(self, entry_id: str) -> TimelineEntry | None:
        """A timeline entry, also an opening kept on its incident (whose id it bears)."""
        doc = await self._timeline.find_one({"_id": entry_id})
        if doc is not None:
            return TimelineEntry.from_document(doc)
        return (await openings(self._incidents, [entry_id])).get(entry_id)

    async def set_pin(self, entry_id: str, changes: Document) -> TimelineEntry | None:
        doc = await self._timeline.find_one_and_update(
            {"_id": entry_id}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        return TimelineEntry.from_document(doc) if doc else None

    async def timeline_page(
        self, incident_id: str, where: Document, page: PageRequest, *, with_opening: bool
    ) -> Page[TimelineEntry]:
        """`with_opening`: whether `where` admits the opening entry an incident may keep
        on itself."""
        kept = await openings(self._incidents, [incident_id]) if with_opening else {}
        pages = await pages_per_owner(
            self._timeline,
            owner_field="incident_id",
            owner_ids=[incident_id],
            page=page,
            parse=TimelineEntry.from_document,
            where=where,
            unstored={i: entry.to_document() for i, entry in kept.items()},
        )
        return pages[incident_id]
