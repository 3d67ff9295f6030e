"""The only code that reads and writes status pages and what hangs off them."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from domain.errors import ConflictError, NotFoundError
from domain.statuspage.model import (
    Component,
    ComponentGroup,
    ComponentStatus,
    PublicIncident,
    PublicIncidentState,
    PublicUpdate,
    ScheduledMaintenance,
    StatusChange,
    StatusPage,
    Subscriber,
    SubscriberState,
)
from domain.store.database import Database
from domain.store.documents import DocumentRepository
from domain.store.timestamps import to_ms

PAGES = "status_pages"
GROUPS = "status_page_groups"
COMPONENTS = "status_page_components"
CHANGES = "status_page_changes"
INCIDENTS = "status_page_incidents"
UPDATES = "status_page_updates"
MAINTENANCE = "status_page_maintenance"
SUBSCRIBERS = "status_page_subscribers"


class StatusPageRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self.pages = DocumentRepository(db, PAGES, StatusPage.from_document, noun="status page")
        self.groups = DocumentRepository(
            db, GROUPS, ComponentGroup.from_document, noun="component group"
        )
        self.components = DocumentRepository(
            db, COMPONENTS, Component.from_document, noun="component"
        )
        self.incidents = DocumentRepository(
            db, INCIDENTS, PublicIncident.from_document, noun="public incident"
        )
        self.maintenance = DocumentRepository(
            db, MAINTENANCE, ScheduledMaintenance.from_document, noun="scheduled maintenance"
        )
        self.subscribers = DocumentRepository(
            db, SUBSCRIBERS, Subscriber.from_document, noun="subscriber"
        )

    async def insert_page(self, page: StatusPage) -> None:
        try:
            await self.pages.insert(page)
        except DuplicateKeyError as exc:
            raise ConflictError(
                f"A status page with slug '{page.slug}' exists.",
                suggestion="Choose another slug, or update that page.",
            ) from exc

    async def page_by_slug(self, slug: str) -> StatusPage:
        found = await self.pages.where({"slug": slug})
        if not found:
            raise NotFoundError(
                f"No status page '{slug}'.", suggestion="Check the address of the status page."
            )
        return found[0]

    async def component_names(self, component_ids: tuple[str, ...]) -> list[str]:
        """In the order given; ids of components deleted since are left out."""
        if not component_ids:
            return []
        found = {
            c.id: c.name for c in await self.components.where({"_id": {"$in": list(component_ids)}})
        }
        return [found[c] for c in component_ids if c in found]

    async def require_components(self, page: StatusPage, component_ids: tuple[str, ...]) -> None:
        found = await self.components.where(
            {"_id": {"$in": list(component_ids)}, "page_id": page.id}
        )
        missing = set(component_ids) - {c.id for c in found}
        if missing:
            raise NotFoundError(
                f"No component with id '{sorted(missing)[0]}' on status page '{page.slug}'.",
                suggestion="List the page's components to find valid ids.",
            )

    async def set_status(
        self, component: Component, status: ComponentStatus, change: StatusChange
    ) -> None:
        """The history entry first: a crash in between leaves history ahead, never behind."""
        await self.record_change(change)
        await self._db[COMPONENTS].update_one(
            {"_id": component.id},
            {"$set": {"status": status.value, "status_ms": to_ms(change.at)}},
        )

    async def delete_group(self, group_id: str) -> None:
        """The group goes; its components stay, ungrouped (first, so none is left in a
        group that is gone)."""
        await self._db[COMPONENTS].update_many({"group_id": group_id}, {"$set": {"group_id": None}})
        await self.groups.delete(group_id)

    async def record_change(self, change: StatusChange) -> None:
        await self._db[CHANGES].insert_one(change.to_document())

    async def changes_of(self, component_ids: list[str], since: datetime) -> list[StatusChange]:
        """Each component's changes since `since`, plus the last one before it (its state
        at `since`)."""
        found: list[StatusChange] = []
        collection = self._db[CHANGES]
        for component_id in component_ids:
            before = await collection.find_one(
                {"component_id": component_id, "at_ms": {"$lt": to_ms(since)}},
                sort=[("at_ms", -1)],
            )
            if before is not None:
                found.append(StatusChange.from_document(before))
        cursor = collection.find(
            {"component_id": {"$in": component_ids}, "at_ms": {"$gte": to_ms(since)}}
        ).sort("at_ms", ASCENDING)
        found += [StatusChange.from_document(doc) async for doc in cursor]
        return found

    async def add_update(self, incident: PublicIncident, update: PublicUpdate) -> None:
        await self._db[UPDATES].insert_one(update.to_document())
        changes: dict[str, object] = {"state": update.state.value, "updated_ms": to_ms(update.at)}
        if update.state is not PublicIncidentState.RESOLVED:
            changes["resolved_ms"] = None  # reopened, or never resolved
        elif incident.resolved_at is None:
            changes["resolved_ms"] = to_ms(update.at)
        await self._db[INCIDENTS].update_one({"_id": incident.id}, {"$set": changes})

    async def updates_of(self, incident_ids: list[str]) -> dict[str, list[PublicUpdate]]:
        """Each public incident's updates, newest first."""
        found: dict[str, list[PublicUpdate]] = {incident_id: [] for incident_id in incident_ids}
        cursor = self._db[UPDATES].find({"public_incident_id": {"$in": incident_ids}})
        # Ids break ties: two updates posted within the same millisecond keep their order.
        async for doc in cursor.sort([("at_ms", -1), ("_id", -1)]):
            found[doc["public_incident_id"]].append(PublicUpdate.from_document(doc))
        return found

    async def incidents_of_page(self, page_id: str, *, since: datetime) -> list[PublicIncident]:
        """Unresolved public incidents, and those resolved since `since`; newest first."""
        query = {
            "page_id": page_id,
            # By state, not by a null resolved_ms: the embedded store's null matching differs.
            "$or": [
                {"state": {"$ne": PublicIncidentState.RESOLVED.value}},
                {"resolved_ms": {"$gte": to_ms(since)}},
            ],
        }
        found = await self.incidents.where(query)
        return sorted(found, key=lambda i: i.created_at, reverse=True)

    async def confirm(self, subscriber_id: str) -> Subscriber:
        await self._db[SUBSCRIBERS].update_one(
            {"_id": subscriber_id}, {"$set": {"state": SubscriberState.CONFIRMED.value}}
        )
        return await self.subscribers.get(subscriber_id)

    async def find_subscriber(self, subscriber_id: str) -> Subscriber | None:
        """None once unsubscribed: messages still queued for it are then dropped."""
        doc = await self._db[SUBSCRIBERS].find_one({"_id": subscriber_id})
        return None if doc is None else Subscriber.from_document(doc)

    async def insert_subscriber(self, subscriber: Subscriber) -> Subscriber:
        """Store a new subscriber; the existing one when that address already subscribed."""
        try:
            await self.subscribers.insert(subscriber)
        except DuplicateKeyError:
            found = await self.subscribers.where(
                {"page_id": subscriber.page_id, "address": subscriber.address}
            )
            return found[0]
        return subscriber

    async def delete_page(self, page_id: str) -> None:
        await self.pages.delete(page_id)
        for collection in (
            GROUPS,
            COMPONENTS,
            CHANGES,
            INCIDENTS,
            UPDATES,
            MAINTENANCE,
            SUBSCRIBERS,
        ):
            await self._db[collection].delete_many({"page_id": page_id})
