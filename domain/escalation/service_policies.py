"""Which escalation policy each service has, as the escalation starter asks it.

Every ingest batch that opens incidents asks this, so one store read per batch
would be spent on an answer that almost never changes. Each process remembers
it for `REFRESH_SECONDS` (as it does noise rules): a policy given to or taken
from a service applies to new incidents within that time, on every replica.
An incident opened meanwhile on a service that just got a policy is started by
the recovery sweep (`EscalationEngine.recover_unstarted`), which reads the
services afresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from domain.service.repository import ServiceRepository

REFRESH_SECONDS = 2.0


class ServicePolicies:
    def __init__(
        self, services: ServiceRepository, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._services = services
        self._monotonic = monotonic
        self._known: dict[str, tuple[str | None, float]] = {}
        """Service id -> (its policy id, when that was read)."""

    async def of(self, service_ids: Iterable[str]) -> dict[str, str]:
        """Service id -> policy id, for those of the services that have one."""
        wanted = set(service_ids)
        now = self._monotonic()
        due = {
            service_id
            for service_id in wanted
            if (known := self._known.get(service_id)) is None or now - known[1] > REFRESH_SECONDS
        }
        if due:
            found = await self._services.by_ids(due)
            for service_id in due:
                service = found.get(service_id)
                self.remember(service_id, service.escalation_policy_id if service else None)
        return {s: policy for s in wanted if (policy := self._known[s][0]) is not None}

    def remember(self, service_id: str, policy_id: str | None) -> None:
        """What a fresh read of the service said (the recovery sweep reads them all)."""
        self._known[service_id] = (policy_id, self._monotonic())
