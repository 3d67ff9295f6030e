"""The only code that reads and writes contact methods and notification rules."""

from __future__ import annotations

from domain.contact.model import ContactMethod, NotificationRule
from domain.store.database import Database
from domain.store.documents import DocumentRepository


class ContactMethodRepository(DocumentRepository[ContactMethod]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "contact_methods", ContactMethod.from_document, noun="contact method")

    async def of_user(self, user_id: str) -> list[ContactMethod]:
        return await self.where({"user_id": user_id})


class NotificationRuleRepository(DocumentRepository[NotificationRule]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db, "notification_rules", NotificationRule.from_document, noun="notification rule"
        )

    async def of_user(self, user_id: str) -> list[NotificationRule]:
        return await self.where({"user_id": user_id})

    async def delete_for_method(self, contact_method_id: str) -> None:
        await self._collection.delete_many({"contact_method_id": contact_method_id})
