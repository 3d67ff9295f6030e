"""Use cases of the people responding: roles, responders, priority, type and custom
fields of an incident. Every change goes on the timeline with its author and is
announced as an incident event, so live subscribers see it."""

from __future__ import annotations

import dataclasses
from typing import Any

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import NotFoundError
from domain.events import IncidentEventKind
from domain.incident.model import Incident, TimelineKind
from domain.incident.recorder import Change, TimelineRecorder
from domain.incident.service import IncidentDesk
from domain.response.catalog import ResponseCatalog
from domain.response.model import (
    FieldValueInput,
    IncidentResponse,
    Priority,
    RoleHolder,
)
from domain.response.repository import ResponseRepository
from domain.store.database import Document
from domain.user.model import User
from domain.user.repository import UserRepository


class ResponseDesk:
    def __init__(
        self,
        *,
        repository: ResponseRepository,
        desk: IncidentDesk,
        catalog: ResponseCatalog,
        users: UserRepository,
        recorder: TimelineRecorder,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._desk = desk
        self._catalog = catalog
        self._users = users
        self._recorder = recorder
        self._clock = clock

    async def assign_role(
        self, principal: Principal, incident_id: str, role_id: str, user_id: str
    ) -> Incident:
        """Give a role to a user, who becomes a responder; the previous holder is replaced."""
        incident = await self._incident(principal, incident_id)
        role = await self._catalog.role(principal, role_id)
        user = await self._user(user_id)
        current = incident.response.roles.get(role.id)
        if current is not None and current.user_id == user.id:
            return incident
        holder = RoleHolder(
            user_id=user.id, assigned_at=self._clock.now(), assigned_by=principal.actor
        )
        before = await self._update(
            incident_id,
            {
                "$set": {f"roles.{role.id}": holder.to_document()},
                "$addToSet": {"responders": user.id},
            },
        )
        previous = before.response.roles.get(role.id)
        details: dict[str, Any] = {"user_id": user.id, "role": role.name, "role_id": role.id}
        message = f"{role.name}: {user.name}."
        if previous is not None:
            replaced = await self._users.by_id(previous.user_id)
            details["replaced_user_id"] = previous.user_id
            name = replaced.name if replaced else previous.user_id
            message = f"{role.name}: {user.name}, replacing {name}."
        return await self._record(
            principal,
            before,
            before.response.with_holder(role.id, holder),
            Change(TimelineKind.ROLE_ASSIGNED, IncidentEventKind.ROLE_ASSIGNED, message, details),
        )

    async def unassign_role(self, principal: Principal, incident_id: str, role_id: str) -> Incident:
        """Nobody holds the role any more; the holder stays a responder."""
        incident = await self._incident(principal, incident_id)
        role = await self._catalog.role(principal, role_id)
        if role.id not in incident.response.roles:
            return incident
        before = await self._update(incident_id, {"$unset": {f"roles.{role.id}": ""}})
        previous = before.response.roles.get(role.id)
        if previous is None:
            return before
        user = await self._users.by_id(previous.user_id)
        name = user.name if user else previous.user_id
        return await self._record(
            principal,
            before,
            before.response.without_role(role.id),
            Change(
                TimelineKind.ROLE_UNASSIGNED,
                IncidentEventKind.ROLE_UNASSIGNED,
                f"{role.name}: {name} no longer holds the role.",
                {"user_id": previous.user_id, "role": role.name, "role_id": role.id},
            ),
        )

    async def add_responder(self, principal: Principal, incident_id: str, user_id: str) -> Incident:
        incident = await self._incident(principal, incident_id)
        user = await self._user(user_id)
        if user.id in incident.response.responders:
            return incident
        before = await self._update(incident_id, {"$addToSet": {"responders": user.id}})
        return await self._record(
            principal,
            before,
            before.response.with_responder(user.id),
            Change(
                TimelineKind.RESPONDER_ADDED,
                IncidentEventKind.RESPONDER_ADDED,
                f"{user.name} joined the response.",
                {"user_id": user.id},
            ),
        )

    async def remove_responder(
        self, principal: Principal, incident_id: str, user_id: str
    ) -> Incident:
        """The responder leaves, giving up the roles they held."""
        incident = await self._incident(principal, incident_id)
        if user_id not in incident.response.responders:
            return incident
        held = incident.response.roles_of(user_id)
        update: Document = {"$pull": {"responders": user_id}}
        if held:
            update["$unset"] = {f"roles.{role_id}": "" for role_id in held}
        before = await self._update(incident_id, update)
        user = await self._users.by_id(user_id)
        name = user.name if user else user_id
        roles = [await self._catalog.role(principal, role_id) for role_id in held]
        message = f"{name} left the response."
        if roles:
            message = f"{name} left the response, giving up: {', '.join(r.name for r in roles)}."
        return await self._record(
            principal,
            before,
            before.response.without_responder(user_id),
            Change(
                TimelineKind.RESPONDER_REMOVED,
                IncidentEventKind.RESPONDER_REMOVED,
                message,
                {"user_id": user_id, "roles": [r.name for r in roles]},
            ),
        )

    async def set_priority(
        self, principal: Principal, incident_id: str, priority: Priority | None
    ) -> Incident:
        priority = None if priority is None else Priority(priority)
        incident = await self._incident(principal, incident_id)
        if incident.response.priority == priority:
            return incident
        value = priority.value if priority else None
        before = await self._update(incident_id, {"$set": {"priority": value}})
        was = before.response.priority
        message = f"Priority set to {value}." if value else "Priority cleared."
        if was is not None and value is not None:
            message = f"Priority set to {value} (was {was.value})."
        return await self._record(
            principal,
            before,
            dataclasses.replace(before.response, priority=priority),
            Change(
                TimelineKind.PRIORITY_CHANGED,
                IncidentEventKind.PRIORITY_CHANGED,
                message,
                {"priority": value, "previous": was.value if was else None},
            ),
        )

    async def set_type(
        self, principal: Principal, incident_id: str, type_id: str | None
    ) -> Incident:
        incident = await self._incident(principal, incident_id)
        kind = None if type_id is None else await self._catalog.type(principal, type_id)
        if incident.response.type_id == (kind.id if kind else None):
            return incident
        before = await self._update(incident_id, {"$set": {"type_id": kind.id if kind else None}})
        return await self._record(
            principal,
            before,
            dataclasses.replace(before.response, type_id=kind.id if kind else None),
            Change(
                TimelineKind.TYPE_CHANGED,
                IncidentEventKind.TYPE_CHANGED,
                f"Type set to {kind.name}." if kind else "Type cleared.",
                {"type_id": kind.id if kind else None, "type": kind.name if kind else None},
            ),
        )

    async def set_custom_field(
        self,
        principal: Principal,
        incident_id: str,
        field_id: str,
        value: FieldValueInput | None,
    ) -> Incident:
        """Set (or with None clear) a custom field, checked against its definition."""
        incident = await self._incident(principal, incident_id)
        definition = await self._catalog.field(principal, field_id)
        stored = None if value is None else definition.check(value)
        fields = dict(incident.response.custom_fields)
        if fields.get(definition.id) == stored:
            return incident
        path = f"custom_fields.{definition.id}"
        update: Document = {"$unset": {path: ""}} if stored is None else {"$set": {path: stored}}
        before = await self._update(incident_id, update)
        fields = dict(before.response.custom_fields)
        if stored is None:
            fields.pop(definition.id, None)
        else:
            fields[definition.id] = stored
        shown = _shown(stored)
        return await self._record(
            principal,
            before,
            dataclasses.replace(before.response, custom_fields=fields),
            Change(
                TimelineKind.CUSTOM_FIELD_CHANGED,
                IncidentEventKind.CUSTOM_FIELD_CHANGED,
                f"{definition.name} set to {shown}." if shown else f"{definition.name} cleared.",
                {"field_id": definition.id, "field": definition.name, "value": stored},
            ),
        )

    async def _incident(self, principal: Principal, incident_id: str) -> Incident:
        """The incident, once `principal` may respond to it (in its service's team)."""
        return await self._desk.require(principal, Action.RESPOND, incident_id)

    async def _update(self, incident_id: str, update: Document) -> Incident:
        before = await self._repository.update(incident_id, update)
        if before is None:
            raise NotFoundError(f"No incident with id '{incident_id}'.")
        return before

    async def _user(self, user_id: str) -> User:
        user = await self._users.by_id(user_id)
        if user is None:
            raise NotFoundError(
                f"No user with id '{user_id}'.",
                suggestion="List users to find the id of the person to add.",
                field="userId",
            )
        return user

    async def _record(
        self,
        principal: Principal,
        before: Incident,
        response: IncidentResponse,
        change: Change,
    ) -> Incident:
        """Put the change on the timeline and announce it; the incident after the change."""
        after = dataclasses.replace(before, response=response)
        await self._recorder.record(after, change, principal.actor)
        return after


def _shown(value: str | float | None) -> str | None:
    """How a value reads in a timeline message: 3.0 as '3'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
