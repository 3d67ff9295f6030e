"""Use cases for services."""

from __future__ import annotations

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import NotFoundError
from domain.ids import new_id
from domain.service.model import Service, ServiceChanges, ServiceDraft
from domain.service.repository import ServiceRepository
from domain.team.ownership import ServiceOwners
from domain.team.service import TeamDirectory


class ServiceCatalog:
    """Services are read by whoever may read their owning team's things (anyone signed in
    when no team owns them); creating one for a team, or changing it, needs CONFIGURE in
    that team, and moving it to another team needs CONFIGURE in both."""

    def __init__(
        self,
        *,
        repository: ServiceRepository,
        owners: ServiceOwners,
        teams: TeamDirectory,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._owners = owners
        self._teams = teams
        self._audit = audit
        self._clock = clock
        # Names and ids never change once a service exists, so found services can be
        # remembered for routing; only misses reach the store.
        self._routing_by_id: dict[str, Service] = {}
        self._routing_by_name: dict[str, Service] = {}

    async def create(self, principal: Principal, draft: ServiceDraft) -> Service:
        await self._teams.require_configure_in(principal, draft.team)
        service = Service(
            id=new_id(),
            name=draft.name,
            description=draft.description,
            depends_on=draft.depends_on,
            created_at=self._clock.now(),
            escalation_policy_id=draft.escalation_policy_id,
            team=draft.team,
            runbooks=draft.runbooks,
        )
        await self._repository.insert(service)
        self._owners.forget()
        await self._audit.created(principal, AuditResource.SERVICE, service)
        return service

    async def update(
        self, principal: Principal, service_id: str, changes: ServiceChanges
    ) -> Service:
        current = await self.get(principal, service_id)
        updated = changes.apply(current)
        await self._teams.require_handover(principal, current.team, updated.team)
        await self._repository.replace(updated)
        self._owners.forget()
        await self._audit.updated(principal, AuditResource.SERVICE, current, updated)
        self._routing_by_id.pop(service_id, None)
        self._routing_by_name.pop(updated.name, None)
        return updated

    async def with_alert_timeout(self) -> list[Service]:
        """For the timeout sweeper, which acts as the system."""
        return await self._repository.with_alert_timeout()

    async def settings_of(self, service_ids: set[str]) -> dict[str, Service]:
        """For ingest decisions, which act as the system."""
        return await self._repository.by_ids(service_ids)

    async def all(self, principal: Principal) -> list[Service]:
        principal.require(Action.READ)
        return [s for s in await self._repository.all() if principal.can(Action.READ, s.team)]

    async def get(self, principal: Principal, service_id: str) -> Service:
        principal.require(Action.READ)
        found = await self._repository.by_ids([service_id])
        if service_id not in found:
            raise NotFoundError(f"No service with id '{service_id}'.")
        principal.require(Action.READ, found[service_id].team)
        return found[service_id]

    async def by_ids(self, principal: Principal, ids: list[str]) -> dict[str, Service]:
        """Batch lookup for loaders; unknown and unreadable ids are simply absent."""
        principal.require(Action.READ)
        found = await self._repository.by_ids(ids)
        return {i: s for i, s in found.items() if principal.can(Action.READ, s.team)}

    async def routing_target(self, service_id: str) -> Service:
        """The service an integration key is bound to (ingest routing; caller checked INGEST)."""
        cached = self._routing_by_id.get(service_id)
        if cached is not None:
            return cached
        found = await self._repository.by_ids([service_id])
        if service_id not in found:
            raise NotFoundError(
                f"The integration key is bound to service '{service_id}', which does not exist.",
                suggestion="Create a new integration key for an existing service.",
            )
        self._routing_by_id[service_id] = found[service_id]
        return found[service_id]

    async def resolve_names(self, names: set[str]) -> dict[str, Service]:
        """Map service names to services, registering unknown ones (ingest routing).

        The caller has already been checked for INGEST and validated the names.
        """
        known = {
            name: self._routing_by_name[name] for name in names if name in self._routing_by_name
        }
        unknown = names - known.keys()
        if unknown:
            found = await self._repository.by_names(unknown)
            missing = sorted(unknown - found.keys())
            if missing:
                now = self._clock.now()
                await self._repository.insert_missing(
                    [
                        Service(
                            id=new_id(),
                            name=name,
                            description="Registered by an incoming alert.",
                            depends_on=(),
                            created_at=now,
                        )
                        for name in missing
                    ]
                )
                found = await self._repository.by_names(unknown)
            self._routing_by_name.update(found)
            known.update(found)
        return known
