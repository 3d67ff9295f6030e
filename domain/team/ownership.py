"""Which team owns each service.

Incidents, alerts and integration keys belong to a service, so their scope is the
service owner's. The map is read in one query and kept for a short while: a service
that changes team is seen by this process at once and by other replicas within
``TTL_SECONDS`` (plus the time of one read).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from domain.auth import Action, Principal
from domain.service.repository import ServiceRepository

TTL_SECONDS = 2.0


class ServiceOwners:
    def __init__(
        self,
        services: ServiceRepository,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._services = services
        self._monotonic = monotonic
        self._owners: dict[str, str | None] = {}
        self._expires_at = 0.0
        self._generation = 0
        """How many times the map was read: a caller who missed a service reads again
        only if nobody has since."""
        self._epoch = 0
        """Bumped by `forget`: a map read before the last change is never used."""
        self._loaded_epoch = -1
        self._reading = asyncio.Lock()
        self._refreshing: asyncio.Future[dict[str, str | None]] | None = None

    def forget(self) -> None:
        """Called after a service is created or changes team."""
        self._epoch += 1

    async def _current(self) -> dict[str, str | None]:
        if self._loaded_epoch != self._epoch:
            return await self._read(unless_newer_than=None)
        if self._monotonic() >= self._expires_at and (
            self._refreshing is None or self._refreshing.done()
        ):
            # Served as it is while one read refreshes it in the background: live
            # subscribers check every event and must not all stall on the store at once.
            self._refreshing = asyncio.ensure_future(self._read(unless_newer_than=None))
            self._refreshing.add_done_callback(_retrieved)
        return self._owners

    async def _read(self, *, unless_newer_than: int | None) -> dict[str, str | None]:
        # Many callers may want a read in the same instant: one reads, the others use it.
        async with self._reading:
            if unless_newer_than is None:
                stale = self._loaded_epoch != self._epoch or self._monotonic() >= self._expires_at
            else:
                stale = self._generation == unless_newer_than
            if stale:
                epoch = self._epoch
                self._owners = await self._services.owners()
                self._loaded_epoch = epoch
                self._expires_at = self._monotonic() + TTL_SECONDS
                self._generation += 1
        return self._owners

    async def owner_of(self, service_id: str | None) -> str | None:
        if service_id is None:
            return None
        seen = self._generation
        owners = await self._current()
        if service_id not in owners and self._generation == seen:
            # Created moments ago (on another replica, or registered by an alert): read
            # again rather than treat it as owned by no team, which would widen access.
            owners = await self._read(unless_newer_than=seen)
        return owners.get(service_id)

    async def require(self, principal: Principal, action: Action, service_id: str | None) -> None:
        """`action` on something that belongs to `service_id` (None: to no service)."""
        if principal.visible_teams is None:
            # Admins, integration keys and the system: the owner changes nothing.
            principal.require(action)
            return
        principal.require(action, await self.owner_of(service_id))

    async def can(self, principal: Principal, action: Action, service_id: str | None) -> bool:
        if principal.visible_teams is None:
            return principal.can(action)
        return principal.can(action, await self.owner_of(service_id))

    async def readable(self, principal: Principal) -> frozenset[str] | None:
        """Ids of the services whose things `principal` may read; None means all of them."""
        if principal.visible_teams is None:
            return None
        return await self.permitted(principal, Action.READ)

    async def permitted(self, principal: Principal, action: Action) -> frozenset[str] | None:
        """Ids of the services on whose things `principal` may do `action`; None means all
        of them."""
        if principal.visible_teams is None:
            # Admins, integration keys and the system: the owner changes nothing.
            return None if principal.can(action) else frozenset()
        owners = await self._current()
        return frozenset(
            service_id for service_id, team in owners.items() if principal.can(action, team)
        )


def _retrieved(read: asyncio.Future[dict[str, str | None]]) -> None:
    # A failed background read (store down) is retried by the next caller.
    if not read.cancelled():
        read.exception()
