"""Scheduled maintenance of a page's components (Action.RESPOND): announced to the
page's confirmed subscribers, shown as under maintenance while active."""

from __future__ import annotations

from domain.auth import Action, Principal
from domain.clock import Clock, as_utc
from domain.ids import new_id
from domain.statuspage import messages
from domain.statuspage.changes import PublicChanges
from domain.statuspage.model import MaintenanceDraft, ScheduledMaintenance
from domain.statuspage.ports import StatusEventKind, StatusPageEvent
from domain.statuspage.repository import StatusPageRepository


class Maintenance:
    def __init__(
        self, *, repository: StatusPageRepository, changes: PublicChanges, clock: Clock
    ) -> None:
        self._repo = repository
        self._changes = changes
        self._clock = clock

    async def of_page(self, principal: Principal, page_id: str) -> list[ScheduledMaintenance]:
        principal.require(Action.READ)
        return await self._repo.maintenance.where({"page_id": page_id})

    async def schedule(self, principal: Principal, draft: MaintenanceDraft) -> ScheduledMaintenance:
        principal.require(Action.RESPOND)
        page = await self._repo.pages.get(draft.page_id)
        await self._repo.require_components(page, draft.component_ids)
        maintenance = ScheduledMaintenance(
            new_id(),
            page.id,
            draft.title,
            draft.description,
            as_utc(draft.starts_at),
            as_utc(draft.ends_at),
            draft.component_ids,
            created_at=self._clock.now(),
        )
        await self._repo.maintenance.insert(maintenance)
        await self._changes.announce(
            page,
            f"status-maintenance|{maintenance.id}",
            lambda url, names, unsubscribe: messages.maintenance_scheduled(
                page, url, maintenance, names, unsubscribe
            ),
            maintenance.component_ids,
            StatusPageEvent(
                kind=StatusEventKind.MAINTENANCE_SCHEDULED,
                page_id=page.id,
                slug=page.slug,
                committed_at=maintenance.created_at,
                title=maintenance.title,
            ),
        )
        return maintenance

    async def cancel(self, principal: Principal, maintenance_id: str) -> None:
        principal.require(Action.RESPOND)
        maintenance = await self._repo.maintenance.get(maintenance_id)
        await self._repo.maintenance.delete(maintenance_id)
        await self._changes.page_changed_by_id(maintenance.page_id)
