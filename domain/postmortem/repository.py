"""The only code that reads and writes postmortems, their action items and templates."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from domain.context.ports import PostmortemRef
from domain.errors import ConflictError, NotFoundError
from domain.postmortem.action_items import ActionItem, ActionItemFilter
from domain.postmortem.model import Postmortem, PostmortemState, Section
from domain.store.database import Database, Document
from domain.store.documents import DocumentRepository
from domain.store.pagination import Page, PageRequest, newest_first
from domain.store.scope import within_services
from domain.store.timestamps import to_ms


class PostmortemRepository:
    """Postmortems; also the responder context's index of them (PostmortemIndex)."""

    def __init__(self, db: Database) -> None:
        self._postmortems = db["postmortems"]

    async def insert(self, postmortem: Postmortem) -> None:
        try:
            await self._postmortems.insert_one(postmortem.to_document())
        except DuplicateKeyError:
            existing = await self.of_incident(postmortem.incident_id)
            raise ConflictError(
                f"Incident #{postmortem.incident_number} already has a postmortem"
                + (f" ('{existing.id}')." if existing else "."),
                suggestion="Edit the existing postmortem with updatePostmortem.",
            ) from None

    async def get(self, postmortem_id: str) -> Postmortem:
        doc = await self._postmortems.find_one({"_id": postmortem_id})
        if doc is None:
            raise NotFoundError(f"No postmortem with id '{postmortem_id}'.")
        return Postmortem.from_document(doc)

    async def of_incident(self, incident_id: str) -> Postmortem | None:
        doc = await self._postmortems.find_one({"incident_id": incident_id})
        return None if doc is None else Postmortem.from_document(doc)

    async def of_incidents(self, incident_ids: list[str]) -> dict[str, Postmortem]:
        cursor = self._postmortems.find({"incident_id": {"$in": list(set(incident_ids))}})
        return {doc["incident_id"]: Postmortem.from_document(doc) async for doc in cursor}

    async def for_incidents(self, incident_ids: list[str]) -> dict[str, PostmortemRef]:
        """Incident id -> its postmortem, for the incidents that have one."""
        cursor = self._postmortems.find(
            {"incident_id": {"$in": list(set(incident_ids))}},
            {"incident_id": 1, "title": 1, "state": 1},
        )
        return {
            doc["incident_id"]: PostmortemRef(id=doc["_id"], title=doc["title"], state=doc["state"])
            async for doc in cursor
        }

    async def page(
        self,
        state: PostmortemState | None,
        page: PageRequest,
        incident_ids: Collection[str] | None = None,
    ) -> Page[Postmortem]:
        """Newest first, of `incident_ids` only when given (the caller's readable ones)."""
        query: Document = {} if state is None else {"state": state.value}
        query = within_services(query, incident_ids, field="incident_id")
        return await newest_first(self._postmortems, query, page, Postmortem.from_document)

    async def update_content(
        self,
        postmortem_id: str,
        *,
        title: str,
        sections: list[Section],
        expected_updated_at: datetime,
        now: datetime,
    ) -> Postmortem | None:
        """Rewrite title and sections if nobody changed the postmortem meanwhile and it is
        still editable; None otherwise."""
        doc = await self._postmortems.find_one_and_update(
            {
                "_id": postmortem_id,
                "updated_ms": to_ms(expected_updated_at),
                "state": {"$ne": PostmortemState.PUBLISHED.value},
            },
            {
                "$set": {
                    "title": title,
                    "sections": [s.to_document() for s in sections],
                    "updated_ms": to_ms(now),
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        return None if doc is None else Postmortem.from_document(doc)

    async def change_state(
        self, postmortem_id: str, from_states: list[str], target: PostmortemState, now: datetime
    ) -> Postmortem | None:
        """Move to `target` only from one of `from_states`, atomically."""
        changes: Document = {"state": target.value, "updated_ms": to_ms(now)}
        if target is PostmortemState.PUBLISHED:
            changes["published_ms"] = to_ms(now)
        doc = await self._postmortems.find_one_and_update(
            {"_id": postmortem_id, "state": {"$in": from_states}},
            {"$set": changes},
            return_document=ReturnDocument.AFTER,
        )
        return None if doc is None else Postmortem.from_document(doc)


class ActionItemRepository(DocumentRepository[ActionItem]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "action_items", ActionItem.from_document, noun="action item")

    async def of_postmortem(self, postmortem_id: str) -> list[ActionItem]:
        return await self.where({"postmortem_id": postmortem_id})

    async def of_postmortems(self, postmortem_ids: list[str]) -> dict[str, list[ActionItem]]:
        """Postmortem id -> its action items, oldest first (empty lists included)."""
        found: dict[str, list[ActionItem]] = {i: [] for i in postmortem_ids}
        for item in await self.where({"postmortem_id": {"$in": list(set(postmortem_ids))}}):
            found[item.postmortem_id].append(item)
        return found

    async def page(
        self,
        where: ActionItemFilter,
        today: date,
        page: PageRequest,
        incident_ids: Collection[str] | None = None,
    ) -> Page[ActionItem]:
        """Of the postmortems of `incident_ids` only when given (the caller's readable ones)."""
        query = within_services(where.to_query(today), incident_ids, field="incident_id")
        return await newest_first(self._collection, query, page, ActionItem.from_document)
