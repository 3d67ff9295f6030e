"""Use cases for schedules: configure them, patch them with overrides, ask who is on call.

A schedule owned by a team is configured (itself and its layers) by that team's
managers, its overrides are added and removed by the team's responders too (swapping
a shift is part of being on call), and it is read by the team's members; moving it to
another team needs the manager role in both. A schedule owned by no team follows the
global roles (admins configure, responders override, everyone reads). Global admins
may do everything. Everyone a schedule names must be an existing user.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.ids import new_id
from domain.oncall.query import MAX_HORIZON, UserShift, upcoming_shifts, who_is_on_call
from domain.schedule.model import Layer, Override, Schedule
from domain.schedule.override_ids import override_id
from domain.schedule.repository import ScheduleRepository
from domain.store.scope import within_teams
from domain.team.service import TeamDirectory
from domain.user.model import User
from domain.user.repository import UserRepository
from domain.validation import require_slug

EDIT_ATTEMPTS = 10
"""Concurrent edits of one schedule retry this often before giving up with CONFLICT."""


@dataclass(frozen=True, slots=True)
class ScheduleDraft:
    name: str
    layers: tuple[Layer, ...]
    team: str | None = None

    def __post_init__(self) -> None:
        if self.team is not None:
            require_slug(self.team, field="team")


@dataclass(frozen=True, slots=True)
class ScheduleChanges:
    """None leaves a part as it is; ``layers`` replaces all layers (to reorder them)."""

    name: str | None = None
    layers: tuple[Layer, ...] | None = None
    team: str | None = None
    clear_team: bool = False
    """Give the schedule to no team (it then follows the global roles)."""

    def __post_init__(self) -> None:
        if self.team is not None:
            require_slug(self.team, field="team")

    def new_team(self, current: str | None) -> str | None:
        return None if self.clear_team else (self.team or current)


class Schedules:
    def __init__(
        self,
        *,
        repository: ScheduleRepository,
        users: UserRepository,
        teams: TeamDirectory,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._users = users
        self._teams = teams
        self._clock = clock

    async def all(self, principal: Principal) -> list[Schedule]:
        principal.require(Action.READ)
        return await self._repository.where(within_teams({}, principal))

    async def get(self, principal: Principal, schedule_id: str) -> Schedule:
        principal.require(Action.READ)
        schedule = await self._repository.get(schedule_id)
        principal.require(Action.READ, schedule.team)
        return schedule

    async def create(self, principal: Principal, draft: ScheduleDraft) -> Schedule:
        await self._teams.require_configure_in(principal, draft.team)
        schedule = Schedule(id=new_id(), name=draft.name, layers=draft.layers, team=draft.team)
        await self._require_users(_layer_people(schedule.layers))
        await self._repository.create(schedule)
        await self._audit.created(principal, AuditResource.SCHEDULE, schedule)
        return schedule

    async def update(
        self, principal: Principal, schedule_id: str, changes: ScheduleChanges
    ) -> Schedule:
        current = await self.get(principal, schedule_id)
        await self._teams.require_handover(principal, current.team, changes.new_team(current.team))
        if changes.layers is not None:
            await self._require_users(_layer_people(changes.layers))

        def change(schedule: Schedule) -> Schedule:
            # Checked again on the version written: the schedule may have moved meanwhile.
            principal.require(Action.CONFIGURE, changes.new_team(schedule.team))
            return dataclasses.replace(
                schedule,
                name=schedule.name if changes.name is None else changes.name,
                layers=schedule.layers if changes.layers is None else changes.layers,
                team=changes.new_team(schedule.team),
            )

        return await self._edit(principal, schedule_id, change, Action.CONFIGURE)

    async def delete(self, principal: Principal, schedule_id: str) -> None:
        current = await self.get(principal, schedule_id)
        principal.require(Action.CONFIGURE, current.team)
        await self._repository.delete(schedule_id)
        await self._audit.deleted(principal, AuditResource.SCHEDULE, current)

    async def add_layer(
        self, principal: Principal, schedule_id: str, layer: Layer, position: int | None = None
    ) -> Schedule:
        """Insert ``layer`` at ``position`` (0 is lowest); on top when None."""
        principal.require(Action.CONFIGURE, (await self.get(principal, schedule_id)).team)
        await self._require_users(_participants(layer))

        def insert(schedule: Schedule) -> Schedule:
            layers = list(schedule.layers)
            at = len(layers) if position is None else _index(position, len(layers) + 1, "position")
            layers.insert(at, layer)
            return dataclasses.replace(schedule, layers=tuple(layers))

        return await self._edit(principal, schedule_id, insert, Action.CONFIGURE)

    async def update_layer(
        self, principal: Principal, schedule_id: str, index: int, layer: Layer
    ) -> Schedule:
        principal.require(Action.CONFIGURE, (await self.get(principal, schedule_id)).team)
        await self._require_users(_participants(layer))

        def swap(schedule: Schedule) -> Schedule:
            layers = list(schedule.layers)
            layers[_index(index, len(layers), "index")] = layer
            return dataclasses.replace(schedule, layers=tuple(layers))

        return await self._edit(principal, schedule_id, swap, Action.CONFIGURE)

    async def remove_layer(self, principal: Principal, schedule_id: str, index: int) -> Schedule:
        principal.require(Action.CONFIGURE, (await self.get(principal, schedule_id)).team)

        def drop(schedule: Schedule) -> Schedule:
            layers = list(schedule.layers)
            del layers[_index(index, len(layers), "index")]
            if not layers:
                raise ValidationError(
                    "A schedule needs at least one layer; this is its last.",
                    suggestion="Delete the schedule instead, or add another layer first.",
                    field="index",
                )
            return dataclasses.replace(schedule, layers=tuple(layers))

        return await self._edit(principal, schedule_id, drop, Action.CONFIGURE)

    async def add_override(
        self, principal: Principal, schedule_id: str, override: Override
    ) -> Override:
        principal.require(Action.RESPOND, (await self.get(principal, schedule_id)).team)
        people = [("userId", override.user_id)]
        if override.replaces is not None:
            people.append(("replaces", override.replaces))
        await self._require_users(people)
        new = override_id(override)

        def append(schedule: Schedule) -> Schedule:
            if any(override_id(o) == new for o in schedule.overrides):
                raise ConflictError(
                    "The schedule already has this very override.",
                    suggestion="Nothing to do; list the schedule's overrides to see it.",
                )
            return dataclasses.replace(schedule, overrides=(*schedule.overrides, override))

        await self._edit(principal, schedule_id, append, Action.RESPOND)
        return override

    async def remove_override(
        self, principal: Principal, schedule_id: str, override_key: str
    ) -> Schedule:
        principal.require(Action.RESPOND, (await self.get(principal, schedule_id)).team)

        def drop(schedule: Schedule) -> Schedule:
            kept = tuple(o for o in schedule.overrides if override_id(o) != override_key)
            if len(kept) == len(schedule.overrides):
                raise NotFoundError(
                    f"Schedule '{schedule_id}' has no override with id '{override_key}'.",
                    suggestion="Read the schedule's overrides for their ids.",
                )
            return dataclasses.replace(schedule, overrides=kept)

        return await self._edit(principal, schedule_id, drop, Action.RESPOND)

    async def on_call(
        self, principal: Principal, schedule_id: str, at: datetime | None = None
    ) -> tuple[str, ...]:
        """Who is on call at ``at`` (default now), in order."""
        schedule = await self.get(principal, schedule_id)
        return who_is_on_call(schedule, at or self._clock.now())

    async def upcoming(self, principal: Principal, user_id: str, days: int) -> list[UserShift]:
        """``user_id``'s shifts under way or starting within ``days`` days, across the
        schedules the caller may read."""
        principal.require(Action.READ)
        if not 1 <= days <= MAX_HORIZON.days:
            raise ValidationError(
                f"'days' must be between 1 and {MAX_HORIZON.days}, got {days}.", field="days"
            )
        schedules = await self._repository.with_user(user_id, principal)
        return upcoming_shifts(schedules, user_id, self._clock.now(), timedelta(days=days))

    async def people(self, principal: Principal, user_ids: Iterable[str]) -> dict[str, User]:
        """The users behind ids a schedule names (ids of missing users are left out)."""
        principal.require(Action.READ)
        return await users_by_id(self._users, user_ids)

    async def _require_users(self, people: Sequence[tuple[str, str]]) -> None:
        """Every (field, user id) must name a user: a typo must not put nobody on call."""
        found = await users_by_id(self._users, (user_id for _, user_id in people))
        for field, user_id in people:
            if user_id not in found:
                raise ValidationError(
                    f"'{field}' names no existing user: '{user_id}'.",
                    suggestion="Use user ids (from `me` or `createUser`), not names.",
                    field=field,
                )

    async def _edit(
        self,
        principal: Principal,
        schedule_id: str,
        change: Callable[[Schedule], Schedule],
        action: Action,
    ) -> Schedule:
        """Callers check `action` before any lookup of theirs; it is checked again here on
        each version loaded, as the schedule may change team between the two."""
        for _ in range(EDIT_ATTEMPTS):
            schedule, revision = await self._repository.load(schedule_id)
            principal.require(action, schedule.team)
            changed = change(schedule)
            if await self._repository.save_if_unchanged(changed, revision):
                await self._audit.updated(principal, AuditResource.SCHEDULE, schedule, changed)
                return changed
        raise ConflictError(
            f"Schedule '{schedule_id}' kept changing while this edit was applied.",
            suggestion="Retry; someone else is editing the schedule right now.",
        )


async def users_by_id(users: UserRepository, user_ids: Iterable[str]) -> dict[str, User]:
    distinct = list(dict.fromkeys(user_ids))
    found = await asyncio.gather(*(users.by_id(u) for u in distinct))
    return {user.id: user for user in found if user is not None}


def _layer_people(layers: Sequence[Layer]) -> list[tuple[str, str]]:
    return [
        person for i, layer in enumerate(layers) for person in _participants(layer, f"layers[{i}].")
    ]


def _participants(layer: Layer, path: str = "") -> list[tuple[str, str]]:
    """(field, user id) of each participant, the field as the GraphQL input names it."""
    return [
        (f"{path}rotation.participants[{i}]", user_id)
        for i, user_id in enumerate(layer.rotation.participants)
    ]


def _index(value: int, size: int, field: str) -> int:
    if not 0 <= value < size:
        raise ValidationError(
            f"'{field}' is {value}; this schedule has positions 0 to {size - 1}.",
            suggestion="Layers are numbered from 0, the lowest; read the schedule's layers.",
            field=field,
        )
    return value
