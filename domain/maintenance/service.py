"""Use cases for maintenance windows.

A window silences its services' incidents, so changing it is configuration of each of
them: CONFIGURE in every covered service's team (for a service owned by no team, the
global role decides). A window naming no service covers every service: admins only.
Members see the windows that cover one of their services, and those covering all.
"""

from __future__ import annotations

from datetime import datetime

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.maintenance.model import MaintenanceDraft, MaintenanceWindow
from domain.noise.controls import NoiseControls
from domain.service.service import ServiceCatalog
from domain.store.documents import DocumentRepository
from domain.team.ownership import ServiceOwners


class MaintenanceWindows:
    def __init__(
        self,
        *,
        repository: DocumentRepository[MaintenanceWindow],
        services: ServiceCatalog,
        owners: ServiceOwners,
        noise: NoiseControls,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._services = services
        self._owners = owners
        self._noise = noise
        self._clock = clock

    async def all(self, principal: Principal) -> list[MaintenanceWindow]:
        principal.require(Action.READ)
        readable = await self._owners.readable(principal)
        if readable is None:
            return await self._repository.all()
        return await self._repository.where(
            {"$or": [{"service_ids": []}, {"service_ids": {"$in": sorted(readable)}}]}
        )

    async def create(self, principal: Principal, draft: MaintenanceDraft) -> MaintenanceWindow:
        await self._require_configure(principal, draft.service_ids)
        window = await self._save(principal, new_id(), draft, created_at=self._clock.now())
        await self._audit.created(principal, AuditResource.MAINTENANCE_WINDOW, window)
        return window

    async def update(
        self, principal: Principal, window_id: str, draft: MaintenanceDraft
    ) -> MaintenanceWindow:
        principal.require(Action.READ)
        existing = await self._repository.get(window_id)
        await self._require_configure(principal, existing.service_ids)
        await self._require_configure(principal, draft.service_ids)
        window = await self._save(
            principal, window_id, draft, created_at=existing.created_at, replace=True
        )
        await self._audit.updated(principal, AuditResource.MAINTENANCE_WINDOW, existing, window)
        return window

    async def delete(self, principal: Principal, window_id: str) -> None:
        principal.require(Action.READ)
        existing = await self._repository.get(window_id)
        await self._require_configure(principal, existing.service_ids)
        await self._repository.delete(window_id)
        self._noise.invalidate()
        await self._audit.deleted(principal, AuditResource.MAINTENANCE_WINDOW, existing)

    async def occurrences_for_service(
        self, principal: Principal, service_id: str, since: datetime, until: datetime
    ) -> list[tuple[MaintenanceWindow, datetime, datetime]]:
        """Every occurrence of a window covering the service, within [since, until)."""
        await self._owners.require(principal, Action.READ, service_id)
        windows = await self._repository.where(
            {"$or": [{"service_ids": service_id}, {"service_ids": []}]}
        )
        return sorted(
            (
                (window, start, end)
                for window in windows
                for start, end in window.occurrences(since, until)
            ),
            key=lambda occurrence: occurrence[1],
        )

    async def _save(
        self,
        principal: Principal,
        window_id: str,
        draft: MaintenanceDraft,
        *,
        created_at: datetime,
        replace: bool = False,
    ) -> MaintenanceWindow:
        window = MaintenanceWindow(
            id=window_id,
            name=draft.name,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            service_ids=draft.service_ids,
            matchers=draft.matchers,
            recurrence=draft.recurrence,
            created_by=principal.actor,
            created_at=created_at,
        )
        if replace:
            await self._repository.replace(window)
        else:
            await self._repository.insert(window)
        self._noise.invalidate()
        return window

    async def _require_configure(self, principal: Principal, service_ids: tuple[str, ...]) -> None:
        principal.require(Action.READ)
        if not service_ids:
            principal.require(Action.CONFIGURE)
        for service_id in service_ids:
            # Reading first: an unknown or unreadable service stays NOT_FOUND or FORBIDDEN.
            await self._services.get(principal, service_id)
            await self._owners.require(principal, Action.CONFIGURE, service_id)
