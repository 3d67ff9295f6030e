"""Recording configuration changes, and reading them back (admins only).

Ordering: the use case writes the change first and records it after. Recording first
would log changes that then failed (a unique name taken, the store gone), which is a
false history; recording after can only miss an entry when the audit insert itself
fails, and then the caller is told (the error propagates, so the mutation fails
visibly) and the entry is logged at ERROR level, whole but redacted, to be replayed.
Nothing is half-done silently. A transaction would close that gap on a replica set,
but correctness here must not depend on one (see STACK-NOTES).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from domain.audit.model import AuditAction, AuditActor, AuditEntry, AuditFilter, AuditResource
from domain.audit.repository import AuditRepository
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.store.documents import Storable
from domain.store.pagination import Page, PageRequest

log = logging.getLogger(__name__)

_NAME_FIELDS = ("name", "title", "comment")
"""Where a document keeps what people call it; silences have only a comment."""


class AuditTrail:
    """The one recorder every configuration use case calls after its write."""

    def __init__(
        self,
        *,
        repository: AuditRepository,
        clock: Clock,
        request_id: Callable[[], str | None] = lambda: None,
    ) -> None:
        """`request_id` tells the id of the request being served, if any (the HTTP layer
        knows it; workers and the CLI serve none)."""
        self._repository = repository
        self._clock = clock
        self._request_id = request_id

    async def created(self, principal: Principal, resource: AuditResource, item: Storable) -> None:
        await self.record(
            principal, AuditAction.CREATE, resource, item.id, None, item.to_document()
        )

    async def updated(
        self, principal: Principal, resource: AuditResource, before: Storable, after: Storable
    ) -> None:
        await self.record(
            principal,
            AuditAction.UPDATE,
            resource,
            after.id,
            before.to_document(),
            after.to_document(),
        )

    async def deleted(self, principal: Principal, resource: AuditResource, item: Storable) -> None:
        await self.record(
            principal, AuditAction.DELETE, resource, item.id, item.to_document(), None
        )

    async def record(
        self,
        principal: Principal,
        action: AuditAction,
        resource: AuditResource,
        resource_id: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
    ) -> AuditEntry:
        entry = AuditEntry(
            id=new_id(),
            actor=AuditActor.of(principal),
            action=action,
            resource_type=resource,
            resource_id=resource_id,
            resource_name=_name_of(after if after is not None else before),
            before=None if before is None else dict(before),
            after=None if after is None else dict(after),
            at=self._clock.now(),
            request_id=self._request_id(),
        )
        try:
            await self._repository.insert(entry)
        except Exception:
            log.error(
                "A configuration change was saved but its audit entry was not: %s",
                entry.to_document(),
            )
            raise
        return entry

    async def latest(self, resource: AuditResource, limit: int) -> list[AuditEntry]:
        """The newest changes of one kind, for a use case showing its own history (it checks
        its own permission: correlation settings' history is open to every reader)."""
        return await self._repository.latest(AuditFilter(resource_type=resource), limit)


class AuditLog:
    """What admins read."""

    def __init__(self, *, repository: AuditRepository) -> None:
        self._repository = repository

    async def entries(
        self, principal: Principal, where: AuditFilter, page: PageRequest
    ) -> Page[AuditEntry]:
        principal.require(Action.CONFIGURE)
        return await self._repository.page(where, page)


def _name_of(document: Mapping[str, Any] | None) -> str | None:
    for field in _NAME_FIELDS:
        value = (document or {}).get(field)
        if isinstance(value, str) and value:
            return value
    return None
