"""On-call schedules in GraphQL: configure layers and overrides, ask who is on call.

Layers are addressed by their position (0 is the lowest; a higher layer wins),
because their order is what they mean. Users are resolved per request in one
batch (``_people``), whatever the number of shifts asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Annotated

import strawberry

from api.schema.access import context_of
from api.schema.user import User
from domain.errors import ValidationError
from domain.oncall.query import UserShift as DomainUserShift
from domain.schedule import model
from domain.schedule.override_ids import override_id
from domain.schedule.render import render
from domain.schedule.service import ScheduleChanges, ScheduleDraft

strawberry.enum(model.ShiftUnit, name="ShiftUnit")
strawberry.enum(model.OverrideKind, name="OverrideKind")
strawberry.enum(model.Weekday, name="Weekday")

DEFAULT_UPCOMING_DAYS = 28


async def _users(info: strawberry.Info, ids: Sequence[str]) -> list[User]:
    found = await context_of(info).loaders.user.load_many(list(ids))
    return [User.from_domain(u) for u in found if u is not None]


@strawberry.type
class ShiftLength:
    count: int
    unit: model.ShiftUnit


@strawberry.type
class Rotation:
    participant_ids: list[strawberry.ID] = strawberry.field(description="In turn order.")
    shift_length: ShiftLength
    starts_on: date = strawberry.field(description="The first handoff's date (local).")
    handoff: time = strawberry.field(description="Local wall time of every handoff.")
    time_zone: str = strawberry.field(description="IANA zone of `handoff` and `startsOn`.")

    @strawberry.field(description="The participants, in turn order.")
    async def participants(self, info: strawberry.Info) -> list[User]:
        return await _users(info, self.participant_ids)


@strawberry.type
class Restriction:
    weekdays: list[model.Weekday]
    start: time
    end: time = strawberry.field(description="00:00 is midnight; before `start`: next day.")


@strawberry.type
class Layer:
    index: int = strawberry.field(description="Position: 0 is the lowest; higher layers win.")
    name: str
    rotation: Rotation
    restrictions: list[Restriction] = strawberry.field(
        description="Windows outside which the layer has nobody; none: always open."
    )

    @classmethod
    def from_domain(cls, index: int, layer: model.Layer) -> Layer:
        rotation = layer.rotation
        return cls(
            index=index,
            name=layer.name,
            rotation=Rotation(
                participant_ids=[strawberry.ID(p) for p in rotation.participants],
                shift_length=ShiftLength(
                    count=rotation.shift_length.count, unit=rotation.shift_length.unit
                ),
                starts_on=rotation.starts_on,
                handoff=rotation.handoff,
                time_zone=rotation.time_zone,
            ),
            restrictions=[
                Restriction(weekdays=sorted(r.weekdays), start=r.start, end=r.end)
                for r in layer.restrictions
            ],
        )


@strawberry.type
class ScheduleOverride:
    id: strawberry.ID
    schedule_id: strawberry.ID
    kind: model.OverrideKind
    starts_at: datetime
    ends_at: datetime
    user_id: strawberry.ID
    replaces: strawberry.ID | None = strawberry.field(description="For REPLACE: who steps out.")

    @classmethod
    def from_domain(cls, schedule_id: str, override: model.Override) -> ScheduleOverride:
        return cls(
            id=strawberry.ID(override_id(override)),
            schedule_id=strawberry.ID(schedule_id),
            kind=override.kind,
            starts_at=override.starts_at,
            ends_at=override.ends_at,
            user_id=strawberry.ID(override.user_id),
            replaces=strawberry.ID(override.replaces) if override.replaces else None,
        )


@strawberry.type(description="A stretch of time during which the same people are on call.")
class Shift:
    start: datetime
    end: datetime
    user_ids: list[strawberry.ID]

    @classmethod
    def from_domain(cls, shift: model.RenderedShift) -> Shift:
        return cls(
            start=shift.start, end=shift.end, user_ids=[strawberry.ID(u) for u in shift.users]
        )

    @strawberry.field
    async def users(self, info: strawberry.Info) -> list[User]:
        return await _users(info, self.user_ids)


@strawberry.type(description="A shift of one user, with the schedule it belongs to.")
class UpcomingShift:
    schedule_id: strawberry.ID
    schedule_name: str
    shift: Shift

    @classmethod
    def from_domain(cls, entry: DomainUserShift) -> UpcomingShift:
        return cls(
            schedule_id=strawberry.ID(entry.schedule_id),
            schedule_name=entry.schedule_name,
            shift=Shift.from_domain(entry.shift),
        )


@strawberry.type
class Schedule:
    id: strawberry.ID
    name: str
    layers: list[Layer] = strawberry.field(description="Lowest first.")
    overrides: list[ScheduleOverride] = strawberry.field(description="Applied in this order.")
    team: str | None = strawberry.field(
        description="The slug of the owning team: its managers configure the schedule, its "
        "responders override it, its members read it. No team: governed by global roles."
    )
    domain: strawberry.Private[model.Schedule]

    @classmethod
    def from_domain(cls, schedule: model.Schedule) -> Schedule:
        return cls(
            id=strawberry.ID(schedule.id),
            name=schedule.name,
            layers=[Layer.from_domain(i, layer) for i, layer in enumerate(schedule.layers)],
            overrides=[ScheduleOverride.from_domain(schedule.id, o) for o in schedule.overrides],
            team=schedule.team,
            domain=schedule,
        )

    @strawberry.field(
        description="The final shifts between `from` and `to` (at most two years): layers "
        "stacked, restrictions and overrides applied. A gap means nobody is on call."
    )
    def shifts(
        self,
        since: Annotated[datetime, strawberry.argument(name="from")],
        until: Annotated[datetime, strawberry.argument(name="to")],
    ) -> list[Shift]:
        return [Shift.from_domain(s) for s in render(self.domain, since, until)]


@strawberry.type
class OnCall:
    schedule_id: strawberry.ID
    at: datetime
    user_ids: list[strawberry.ID] = strawberry.field(description="In order; empty: nobody.")

    @strawberry.field
    async def users(self, info: strawberry.Info) -> list[User]:
        return await _users(info, self.user_ids)


@strawberry.input(description="`count` units per turn: 12 HOURS, 1 DAYS, 2 WEEKS, or any count.")
class ShiftLengthInput:
    count: int
    unit: model.ShiftUnit = model.ShiftUnit.DAYS


@strawberry.input
class RotationInput:
    participants: list[strawberry.ID] = strawberry.field(description="User ids, in turn order.")
    shift_length: ShiftLengthInput
    starts_on: date = strawberry.field(description="The date of the first handoff (local).")
    handoff: time = strawberry.field(description="Local wall time of handoffs, e.g. 09:00.")
    time_zone: str = strawberry.field(description="An IANA zone, e.g. Europe/Berlin.")

    def to_domain(self) -> model.Rotation:
        try:
            length = model.ShiftLength(self.shift_length.count, self.shift_length.unit)
            return model.Rotation(
                participants=tuple(str(p) for p in self.participants),
                shift_length=length,
                starts_on=self.starts_on,
                handoff=self.handoff,
                time_zone=self.time_zone,
            )
        except ValidationError as exc:
            raise exc.located("rotation") from None


@strawberry.input(description="On each of `weekdays`, from `start` to `end` (local times).")
class RestrictionInput:
    weekdays: list[model.Weekday]
    start: time
    end: time

    def to_domain(self) -> model.Restriction:
        return model.Restriction(weekdays=frozenset(self.weekdays), start=self.start, end=self.end)


@strawberry.input
class LayerInput:
    name: str
    rotation: RotationInput
    restrictions: list[RestrictionInput] = strawberry.field(default_factory=list)

    def to_domain(self) -> model.Layer:
        rotation = self.rotation.to_domain()
        restrictions = []
        for i, restriction in enumerate(self.restrictions):
            try:
                restrictions.append(restriction.to_domain())
            except ValidationError as exc:
                raise exc.located(f"restrictions[{i}]") from None
        return model.Layer(name=self.name, rotation=rotation, restrictions=tuple(restrictions))


def _layers(inputs: Sequence[LayerInput]) -> tuple[model.Layer, ...]:
    layers = []
    for i, layer in enumerate(inputs):
        try:
            layers.append(layer.to_domain())
        except ValidationError as exc:
            raise exc.located(f"layers[{i}]") from None
    return tuple(layers)


@strawberry.input
class CreateScheduleInput:
    name: str
    layers: list[LayerInput] = strawberry.field(description="Lowest first; at least one.")
    team: str | None = strawberry.field(
        default=None, description="The owning team's slug; needs the manager role in it."
    )

    def to_domain(self) -> ScheduleDraft:
        return ScheduleDraft(name=self.name, layers=_layers(self.layers), team=self.team)


@strawberry.input(description="Fields left out stay as they are.")
class UpdateScheduleInput:
    name: str | None = None
    layers: list[LayerInput] | None = strawberry.field(
        default=None, description="Replaces every layer (to reorder them)."
    )
    team: str | None = strawberry.field(
        default=None,
        description="Move the schedule to this team: needs the manager role in both teams.",
    )
    clear_team: bool = strawberry.field(
        default=False, description="Give the schedule to no team (global roles then govern it)."
    )

    def to_domain(self) -> ScheduleChanges:
        return ScheduleChanges(
            name=self.name,
            layers=None if self.layers is None else _layers(self.layers),
            team=self.team,
            clear_team=self.clear_team,
        )


@strawberry.input(
    description="REPLACE puts `userId` on call instead of `replaces`; ADD puts `userId` on "
    "call too; REMOVE takes `userId` off; each from `startsAt` to `endsAt`."
)
class OverrideInput:
    kind: model.OverrideKind
    starts_at: datetime
    ends_at: datetime
    user_id: strawberry.ID
    replaces: strawberry.ID | None = None

    def to_domain(self) -> model.Override:
        return model.Override(
            kind=self.kind,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            user_id=str(self.user_id),
            replaces=None if self.replaces is None else str(self.replaces),
        )


@strawberry.type
class ScheduleQuery:
    @strawberry.field
    async def schedules(self, info: strawberry.Info) -> list[Schedule]:
        context = context_of(info)
        found = await context.container.schedules.all(context.principal)
        return [Schedule.from_domain(s) for s in found]

    @strawberry.field
    async def schedule(self, info: strawberry.Info, id: strawberry.ID) -> Schedule:
        context = context_of(info)
        return Schedule.from_domain(await context.container.schedules.get(context.principal, id))

    @strawberry.field(description="Who is on call for a schedule at `at` (default: now).")
    async def oncall(
        self, info: strawberry.Info, schedule_id: strawberry.ID, at: datetime | None = None
    ) -> OnCall:
        context = context_of(info)
        moment = at or context.container.clock.now()
        users = await context.container.schedules.on_call(context.principal, schedule_id, moment)
        return OnCall(
            schedule_id=schedule_id,
            at=moment,
            user_ids=[strawberry.ID(u) for u in users],
        )

    @strawberry.field(description="The caller's shifts under way or starting within `days`.")
    async def my_upcoming_shifts(
        self, info: strawberry.Info, days: int = DEFAULT_UPCOMING_DAYS
    ) -> list[UpcomingShift]:
        context = context_of(info)
        principal = context.principal
        found = await context.container.schedules.upcoming(principal, principal.id, days)
        return [UpcomingShift.from_domain(e) for e in found]

    @strawberry.field(description="A user's shifts under way or starting within `days`.")
    async def upcoming_shifts(
        self, info: strawberry.Info, user_id: strawberry.ID, days: int = DEFAULT_UPCOMING_DAYS
    ) -> list[UpcomingShift]:
        context = context_of(info)
        found = await context.container.schedules.upcoming(context.principal, user_id, days)
        return [UpcomingShift.from_domain(e) for e in found]


@strawberry.type
class ScheduleMutation:
    @strawberry.mutation
    async def create_schedule(self, info: strawberry.Info, input: CreateScheduleInput) -> Schedule:
        context = context_of(info)
        created = await context.container.schedules.create(context.principal, input.to_domain())
        return Schedule.from_domain(created)

    @strawberry.mutation
    async def update_schedule(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdateScheduleInput
    ) -> Schedule:
        context = context_of(info)
        updated = await context.container.schedules.update(context.principal, id, input.to_domain())
        return Schedule.from_domain(updated)

    @strawberry.mutation
    async def delete_schedule(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.schedules.delete(context.principal, id)
        return True

    @strawberry.mutation(description="Insert a layer at `position` (default: on top).")
    async def add_schedule_layer(
        self,
        info: strawberry.Info,
        schedule_id: strawberry.ID,
        input: LayerInput,
        position: int | None = None,
    ) -> Schedule:
        context = context_of(info)
        updated = await context.container.schedules.add_layer(
            context.principal, schedule_id, input.to_domain(), position
        )
        return Schedule.from_domain(updated)

    @strawberry.mutation(description="Replace the layer at `index` (rotation and restrictions).")
    async def update_schedule_layer(
        self, info: strawberry.Info, schedule_id: strawberry.ID, index: int, input: LayerInput
    ) -> Schedule:
        context = context_of(info)
        updated = await context.container.schedules.update_layer(
            context.principal, schedule_id, index, input.to_domain()
        )
        return Schedule.from_domain(updated)

    @strawberry.mutation
    async def remove_schedule_layer(
        self, info: strawberry.Info, schedule_id: strawberry.ID, index: int
    ) -> Schedule:
        context = context_of(info)
        updated = await context.container.schedules.remove_layer(
            context.principal, schedule_id, index
        )
        return Schedule.from_domain(updated)

    @strawberry.mutation(
        description="Responders of the schedule's team (global responders when no team owns "
        "it) and admins may override."
    )
    async def create_override(
        self, info: strawberry.Info, schedule_id: strawberry.ID, input: OverrideInput
    ) -> ScheduleOverride:
        context = context_of(info)
        override = await context.container.schedules.add_override(
            context.principal, schedule_id, input.to_domain()
        )
        return ScheduleOverride.from_domain(schedule_id, override)

    @strawberry.mutation
    async def delete_override(
        self, info: strawberry.Info, schedule_id: strawberry.ID, id: strawberry.ID
    ) -> bool:
        context = context_of(info)
        await context.container.schedules.remove_override(context.principal, schedule_id, id)
        return True
