"""Use cases for action items: responders write them, everyone reads and filters them;
both within the scope of the postmortem's incident (its service's team)."""

from __future__ import annotations

import dataclasses
from datetime import date

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import ValidationError
from domain.ids import new_id
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.postmortem.action_items import (
    ActionItem,
    ActionItemChange,
    ActionItemDraft,
    ActionItemFilter,
)
from domain.postmortem.repository import ActionItemRepository, PostmortemRepository
from domain.store.pagination import Page, PageRequest
from domain.user.repository import UserRepository


class ActionItems:
    def __init__(
        self,
        *,
        items: ActionItemRepository,
        postmortems: PostmortemRepository,
        incidents: IncidentRepository,
        desk: IncidentDesk,
        users: UserRepository,
        clock: Clock,
    ) -> None:
        self._items = items
        self._postmortems = postmortems
        self._incidents = incidents
        self._desk = desk
        self._users = users
        self._clock = clock

    def today(self) -> date:
        """Due dates are days in UTC: an item is overdue from the day after it was due."""
        return self._clock.now().date()

    async def page(
        self, principal: Principal, where: ActionItemFilter, page: PageRequest
    ) -> Page[ActionItem]:
        """Newest first, across every postmortem."""
        principal.require(Action.READ)
        return await self._items.page(
            where, self.today(), page, await self._desk.readable_incidents(principal)
        )

    async def create(
        self, principal: Principal, postmortem_id: str, draft: ActionItemDraft
    ) -> ActionItem:
        principal.require(Action.READ)
        postmortem = await self._postmortems.get(postmortem_id)
        await self._desk.require(principal, Action.RESPOND, postmortem.incident_id)
        await self._check_owner(draft.owner_id)
        linked = tuple(i for i in draft.linked_incident_ids if i != postmortem.incident_id)
        await self._check_incidents(linked)
        now = self._clock.now()
        item = ActionItem(
            id=new_id(),
            postmortem_id=postmortem.id,
            incident_id=postmortem.incident_id,
            linked_incident_ids=linked,
            title=draft.title,
            owner_id=draft.owner_id,
            due_on=draft.due_on,
            status=draft.status,
            created_at=now,
            updated_at=now,
        )
        await self._items.insert(item)
        return item

    async def update(
        self, principal: Principal, item_id: str, change: ActionItemChange
    ) -> ActionItem:
        """Action items stay editable after their postmortem is published: the work
        they track goes on."""
        item = await self._item(principal, item_id)
        if change.owner_id is not None:
            await self._check_owner(change.owner_id)
        if change.linked_incident_ids is not None:
            linked = tuple(i for i in change.linked_incident_ids if i != item.incident_id)
            await self._check_incidents(linked)
            change = dataclasses.replace(change, linked_incident_ids=linked)
        updated = change.applied_to(item, self._clock.now())
        await self._items.replace(updated)
        return updated

    async def delete(self, principal: Principal, item_id: str) -> None:
        await self._item(principal, item_id)
        await self._items.delete(item_id)

    async def _item(self, principal: Principal, item_id: str) -> ActionItem:
        """The item, once `principal` may respond to its postmortem's incident."""
        principal.require(Action.READ)
        item = await self._items.get(item_id)
        await self._desk.require(principal, Action.RESPOND, item.incident_id)
        return item

    async def _check_owner(self, owner_id: str) -> None:
        if await self._users.by_id(owner_id) is None:
            raise ValidationError(
                f"'ownerId' names no user: '{owner_id}'.",
                suggestion="Use the id of an existing user (query 'users').",
                field="ownerId",
            )

    async def _check_incidents(self, incident_ids: tuple[str, ...]) -> None:
        found = await self._incidents.by_ids(incident_ids)
        missing = [i for i in incident_ids if i not in found]
        if missing:
            raise ValidationError(
                f"'linkedIncidentIds' names no incident: {', '.join(missing)}.",
                suggestion="Link only existing incidents.",
                field="linkedIncidentIds",
            )
