"""The only code that reads and writes status updates, subscriptions and templates."""

from __future__ import annotations

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from domain.errors import ConflictError
from domain.stakeholder.model import StakeholderSubscription, StatusUpdate, UpdateTemplate
from domain.store.database import Database
from domain.store.documents import DocumentRepository


class StatusUpdateRepository(DocumentRepository[StatusUpdate]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "status_updates", StatusUpdate.from_document, noun="status update")

    async def of_incidents(self, incident_ids: list[str]) -> dict[str, list[StatusUpdate]]:
        """Each incident's updates, newest first (ids are in creation order), in one query."""
        found: dict[str, list[StatusUpdate]] = {incident_id: [] for incident_id in incident_ids}
        cursor = self._collection.find({"incident_id": {"$in": incident_ids}}).sort(
            "_id", DESCENDING
        )
        async for doc in cursor:
            found[doc["incident_id"]].append(StatusUpdate.from_document(doc))
        return found


class SubscriptionRepository(DocumentRepository[StakeholderSubscription]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db,
            "stakeholder_subscriptions",
            StakeholderSubscription.from_document,
            noun="stakeholder subscription",
        )

    async def add(self, subscription: StakeholderSubscription) -> None:
        try:
            await self.insert(subscription)
        except DuplicateKeyError:
            raise ConflictError(
                "This stakeholder is subscribed to it already.",
                suggestion="List the subscriptions to find the existing one.",
            ) from None

    async def find(self, subscription_id: str) -> StakeholderSubscription | None:
        doc = await self._collection.find_one({"_id": subscription_id})
        return None if doc is None else StakeholderSubscription.from_document(doc)

    async def reaching(self, incident_id: str, service_id: str) -> list[StakeholderSubscription]:
        """Everyone subscribed to the incident or to its service."""
        return await self.where({"$or": [{"incident_id": incident_id}, {"service_id": service_id}]})


class TemplateRepository(DocumentRepository[UpdateTemplate]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db, "status_update_templates", UpdateTemplate.from_document, noun="update template"
        )

    async def insert(self, item: UpdateTemplate) -> None:
        try:
            await super().insert(item)
        except DuplicateKeyError:
            raise _taken(item.name) from None

    async def replace(self, item: UpdateTemplate) -> None:
        try:
            await super().replace(item)
        except DuplicateKeyError:
            raise _taken(item.name) from None


def _taken(name: str) -> ConflictError:
    return ConflictError(f"An update template named '{name}' exists already.")
