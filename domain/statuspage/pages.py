"""Pages, their component groups and components: set up by those who configure Vigil
(Action.CONFIGURE), read by anyone signed in (Action.READ)."""

from __future__ import annotations

import dataclasses

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import NotFoundError, ValidationError
from domain.ids import new_id
from domain.service.service import ServiceCatalog
from domain.statuspage.changes import PublicChanges
from domain.statuspage.model import (
    Component,
    ComponentDraft,
    ComponentGroup,
    ComponentStatus,
    StatusChange,
    StatusPage,
)
from domain.statuspage.repository import StatusPageRepository


class Pages:
    def __init__(
        self,
        *,
        repository: StatusPageRepository,
        changes: PublicChanges,
        services: ServiceCatalog,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repo = repository
        self._audit = audit
        self._changes = changes
        self._services = services
        self._clock = clock

    async def all(self, principal: Principal) -> list[StatusPage]:
        principal.require(Action.READ)
        return await self._repo.pages.all()

    async def get(self, principal: Principal, page_id: str) -> StatusPage:
        principal.require(Action.READ)
        return await self._repo.pages.get(page_id)

    async def groups_of(self, principal: Principal, page_id: str) -> list[ComponentGroup]:
        principal.require(Action.READ)
        return await self._repo.groups.where({"page_id": page_id})

    async def components_of(self, principal: Principal, page_id: str) -> list[Component]:
        principal.require(Action.READ)
        return await self._repo.components.where({"page_id": page_id})

    async def create(
        self, principal: Principal, *, slug: str, title: str, description: str = ""
    ) -> StatusPage:
        principal.require(Action.CONFIGURE)
        page = StatusPage(new_id(), slug, title, description, self._clock.now())
        await self._repo.insert_page(page)
        await self._audit.created(principal, AuditResource.STATUS_PAGE, page)
        return page

    async def update(
        self, principal: Principal, page_id: str, *, title: str | None, description: str | None
    ) -> StatusPage:
        principal.require(Action.CONFIGURE)
        page = await self._repo.pages.get(page_id)
        changed = dataclasses.replace(
            page,
            title=page.title if title is None else title,
            description=page.description if description is None else description,
        )
        await self._repo.pages.replace(changed)
        await self._audit.updated(principal, AuditResource.STATUS_PAGE, page, changed)
        await self._changes.page_changed(changed)
        return changed

    async def delete(self, principal: Principal, page_id: str) -> None:
        """With everything that hangs off it."""
        principal.require(Action.CONFIGURE)
        page = await self._repo.pages.get(page_id)
        await self._repo.delete_page(page_id)
        await self._audit.deleted(principal, AuditResource.STATUS_PAGE, page)
        self._changes.page_deleted()

    async def create_group(self, principal: Principal, page_id: str, name: str) -> ComponentGroup:
        principal.require(Action.CONFIGURE)
        page = await self._repo.pages.get(page_id)
        group = ComponentGroup(new_id(), page.id, name, self._clock.now())
        await self._repo.groups.insert(group)
        await self._audit.created(principal, AuditResource.STATUS_COMPONENT_GROUP, group)
        await self._changes.page_changed(page)
        return group

    async def delete_group(self, principal: Principal, group_id: str) -> None:
        """Its components stay, ungrouped."""
        principal.require(Action.CONFIGURE)
        group = await self._repo.groups.get(group_id)
        await self._repo.delete_group(group_id)
        await self._audit.deleted(principal, AuditResource.STATUS_COMPONENT_GROUP, group)
        await self._changes.page_changed_by_id(group.page_id)

    async def create_component(
        self, principal: Principal, page_id: str, draft: ComponentDraft
    ) -> Component:
        """Operational from the start, and its history says so (uptime counts from here)."""
        principal.require(Action.CONFIGURE)
        page = await self._repo.pages.get(page_id)
        await self._check_draft(principal, page, draft)
        now = self._clock.now()
        component = Component(
            new_id(),
            page.id,
            draft.name,
            draft.description,
            draft.group_id,
            draft.service_ids,
            ComponentStatus.OPERATIONAL,
            status_changed_at=now,
            created_at=now,
        )
        await self._repo.components.insert(component)
        await self._audit.created(principal, AuditResource.STATUS_COMPONENT, component)
        await self._repo.record_change(
            StatusChange(new_id(), page.id, component.id, component.status, now, principal.actor)
        )
        await self._changes.page_changed(page)
        return component

    async def update_component(
        self, principal: Principal, component_id: str, draft: ComponentDraft
    ) -> Component:
        principal.require(Action.CONFIGURE)
        component = await self._repo.components.get(component_id)
        page = await self._repo.pages.get(component.page_id)
        await self._check_draft(principal, page, draft)
        changed = dataclasses.replace(
            component,
            name=draft.name,
            description=draft.description,
            group_id=draft.group_id,
            service_ids=draft.service_ids,
        )
        await self._repo.components.replace(changed)
        await self._audit.updated(principal, AuditResource.STATUS_COMPONENT, component, changed)
        await self._changes.page_changed(page)
        return changed

    async def delete_component(self, principal: Principal, component_id: str) -> None:
        principal.require(Action.CONFIGURE)
        component = await self._repo.components.get(component_id)
        await self._repo.components.delete(component_id)
        await self._audit.deleted(principal, AuditResource.STATUS_COMPONENT, component)
        await self._changes.page_changed_by_id(component.page_id)

    async def _check_draft(
        self, principal: Principal, page: StatusPage, draft: ComponentDraft
    ) -> None:
        """Its group is on the same page, and the services it stands for exist."""
        if (
            draft.group_id is not None
            and (await self._repo.groups.get(draft.group_id)).page_id != page.id
        ):
            raise ValidationError(
                "The group belongs to another status page.",
                suggestion="Pick a group of the same page.",
                field="groupId",
            )
        found = await self._services.by_ids(principal, list(draft.service_ids))
        missing = [s for s in draft.service_ids if s not in found]
        if missing:
            raise NotFoundError(
                f"No service with id '{missing[0]}'.",
                suggestion="List the services to find valid ids.",
            )
