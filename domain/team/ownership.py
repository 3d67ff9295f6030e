"""Which team owns each service.

Incidents, alerts and integration keys belong to a service, so their scope is the
service owner's. The map is read in one query and kept for a short while: a service
that changes team is seen by this process at once and by other replicas within
``TTL_SECONDS``.
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
        self._reading = asyncio.Lock()

    def forget(self) -> None:
        """Called after a service is created or changes team."""
        self._expires_at = 0.0

    async def _current(self) -> dict[str, str | None]:
        if self._monotonic() < self._expires_at:
            return self._owners
        # Every live subscriber checks an event in the same instant: one of them reads.
        async with self._reading:
            now = self._monotonic()
            if now >= self._expires_at:
                self._owners = await self._services.owners()
                self._expires_at = now + TTL_SECONDS
        return self._owners

    async def owner_of(self, service_id: str | None) -> str | None:
        if service_id is None:
            return None
        owners = await self._current()
        if service_id not in owners:
            # Created moments ago on another replica: read again rather than treat it as
            # owned by no team, which would widen access.
            self.forget()
            owners = await self._current()
        return owners.get(service_id)

    async def require(self, principal: Principal, action: Action, service_id: str | None) -> None:
        """`action` on something that belongs to `service_id` (None: to no service)."""
        principal.require(action, await self.owner_of(service_id))

    async def can(self, principal: Principal, action: Action, service_id: str | None) -> bool:
        return principal.can(action, await self.owner_of(service_id))

    async def readable(self, principal: Principal) -> frozenset[str] | None:
        """Ids of the services whose things `principal` may read; None means all of them."""
        if principal.visible_teams is None:
            return None
        owners = await self._current()
        return frozenset(
            service_id for service_id, team in owners.items() if principal.can(Action.READ, team)
        )
