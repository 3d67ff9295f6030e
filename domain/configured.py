"""The use cases of a document admins configure and everyone may read (templates),
written once: the permission checks, the ids and the time stamps."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Generic, TypeVar

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.store.documents import DocumentRepository, Storable

T = TypeVar("T", bound=Storable)
D = TypeVar("D")


class ConfiguredDocuments(ABC, Generic[T, D]):
    """Checked drafts of type D become documents of type T."""

    def __init__(
        self,
        *,
        repository: DocumentRepository[T],
        audit: AuditTrail,
        resource: AuditResource,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._resource = resource
        self._clock = clock

    @abstractmethod
    def _created(self, item_id: str, draft: D, actor: str, now: datetime) -> T: ...

    @abstractmethod
    def _updated(self, current: T, draft: D, now: datetime) -> T:
        """The draft replaces what it holds; the id and creation stay."""

    async def all(self, principal: Principal) -> list[T]:
        principal.require(Action.READ)
        return await self._repository.all()

    async def get(self, principal: Principal, item_id: str) -> T:
        principal.require(Action.READ)
        return await self._repository.get(item_id)

    async def create(self, principal: Principal, draft: D) -> T:
        principal.require(Action.CONFIGURE)
        item = self._created(new_id(), draft, principal.actor, self._clock.now())
        await self._repository.insert(item)
        await self._audit.created(principal, self._resource, item)
        return item

    async def update(self, principal: Principal, item_id: str, draft: D) -> T:
        principal.require(Action.CONFIGURE)
        current = await self._repository.get(item_id)
        item = self._updated(current, draft, self._clock.now())
        await self._repository.replace(item)
        await self._audit.updated(principal, self._resource, current, item)
        return item

    async def delete(self, principal: Principal, item_id: str) -> None:
        principal.require(Action.CONFIGURE)
        current = await self._repository.get(item_id)
        await self._repository.delete(item_id)
        await self._audit.deleted(principal, self._resource, current)
