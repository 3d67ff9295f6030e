"""On-call schedules: rotations stacked in layers, restricted to windows, patched by overrides.

A schedule is a list of layers, lowest first; where several layers have someone on
call, the last (highest) one wins. A layer is a rotation (participants taking turns,
one shift each, handing off at a local wall time in the rotation's zone) and
optional restrictions (weekday and time-of-day windows in the same zone outside
which the layer has nobody). Overrides then change the result for a time range:
put someone in for another person, add someone, or take someone out.

All shift arithmetic is done on the local wall clock of the rotation's zone, so a
daily 09:00 handoff stays at 09:00 across daylight-saving changes (that day's shift
is then 23 or 25 hours long). A handoff whose wall time does not exist (inside a
spring-forward gap) happens at the first instant after the gap.

Every instant the types take must carry a time zone; every instant they give back
is UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_aware, require_text

MAX_PARTICIPANTS = 500
MAX_LAYERS = 20
MAX_OVERRIDES = 1000
MAX_SHIFT = timedelta(weeks=52)


@lru_cache(maxsize=256)
def zone(key: str) -> ZoneInfo:
    """The IANA zone named ``key``; ValidationError (field ``timeZone``) when unknown."""
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            f"'timeZone' is not a known IANA time zone: {key!r}.",
            suggestion="Use a zone name such as 'Europe/Berlin' or 'America/New_York'.",
            field="timeZone",
        ) from None


def local_to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """The instant a naive local wall time names in ``tz``.

    An ambiguous wall time (fall-back) is its first occurrence; a missing one
    (spring-forward gap) is moved forward by the gap.
    """
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


class ShiftUnit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"


@dataclass(frozen=True, slots=True)
class ShiftLength:
    """How long one participant's turn lasts, on the local wall clock: ``count`` units."""

    count: int
    unit: ShiftUnit = ShiftUnit.DAYS

    def __post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise ValidationError(
                f"'shiftLength.count' must be a positive whole number, got {self.count!r}.",
                field="shiftLength.count",
            )
        try:
            object.__setattr__(self, "unit", ShiftUnit(self.unit))
        except ValueError:
            raise ValidationError(
                f"'shiftLength.unit' must be one of hours, days, weeks, got {self.unit!r}.",
                field="shiftLength.unit",
            ) from None
        if self.step > MAX_SHIFT:
            raise ValidationError(
                "'shiftLength' may be at most 52 weeks.", field="shiftLength.count"
            )

    @classmethod
    def hours(cls, count: int) -> ShiftLength:
        return cls(count, ShiftUnit.HOURS)

    @classmethod
    def days(cls, count: int) -> ShiftLength:
        return cls(count, ShiftUnit.DAYS)

    @classmethod
    def weeks(cls, count: int) -> ShiftLength:
        return cls(count, ShiftUnit.WEEKS)

    @property
    def step(self) -> timedelta:
        """The wall-clock distance between two handoffs."""
        if self.unit is ShiftUnit.HOURS:
            return timedelta(hours=self.count)
        if self.unit is ShiftUnit.DAYS:
            return timedelta(days=self.count)
        return timedelta(weeks=self.count)


@dataclass(frozen=True, slots=True)
class Rotation:
    """Participants take turns in order, from ``starts_on`` at ``handoff`` (local time)."""

    participants: tuple[str, ...]
    shift_length: ShiftLength
    starts_on: date
    handoff: time
    time_zone: str

    def __post_init__(self) -> None:
        if not self.participants:
            raise ValidationError(
                "'participants' must name at least one user.",
                suggestion="Add the user ids who take turns, in order.",
                field="participants",
            )
        if len(self.participants) > MAX_PARTICIPANTS:
            raise ValidationError(
                f"'participants' may list at most {MAX_PARTICIPANTS} users.", field="participants"
            )
        object.__setattr__(
            self,
            "participants",
            tuple(
                require_text(p, field=f"participants[{i}]", max_length=100)
                for i, p in enumerate(self.participants)
            ),
        )
        if isinstance(self.starts_on, datetime) or not isinstance(self.starts_on, date):
            raise ValidationError(
                "'startsOn' must be a calendar date; the time of day is 'handoff'.",
                field="startsOn",
            )
        if not isinstance(self.shift_length, ShiftLength):
            raise ValidationError("'shiftLength' is missing.", field="shiftLength")
        if self.handoff.tzinfo is not None:
            raise ValidationError(
                "'handoff' is a local wall time: it takes the rotation's 'timeZone', not its own.",
                field="handoff",
            )
        object.__setattr__(self, "handoff", self.handoff.replace(microsecond=0))
        zone(self.time_zone)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.time_zone)

    @property
    def start_wall(self) -> datetime:
        """The first handoff as a naive local wall time."""
        return datetime.combine(self.starts_on, self.handoff)

    @property
    def starts_at(self) -> datetime:
        return local_to_utc(self.start_wall, self.tz)


class Weekday(IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


@dataclass(frozen=True, slots=True)
class Restriction:
    """On each of ``weekdays``, from ``start`` to ``end`` (local wall times).

    ``end`` at 00:00 means midnight at the end of the day (so 00:00 to 00:00 is the
    whole day); an ``end`` before ``start`` runs past midnight into the next day.
    """

    weekdays: frozenset[Weekday]
    start: time
    end: time

    def __post_init__(self) -> None:
        try:
            days = frozenset(Weekday(d) for d in self.weekdays)
        except ValueError:
            raise ValidationError(
                "'weekdays' must be days 0 (Monday) to 6 (Sunday).", field="weekdays"
            ) from None
        if not days:
            raise ValidationError(
                "'weekdays' is empty: the window would never open.",
                suggestion="List the days the window applies to.",
                field="weekdays",
            )
        object.__setattr__(self, "weekdays", days)
        for name in ("start", "end"):
            value: time = getattr(self, name)
            if value.tzinfo is not None:
                raise ValidationError(
                    f"'{name}' is a local wall time in the rotation's zone; drop its zone.",
                    field=name,
                )
            object.__setattr__(self, name, value.replace(microsecond=0))
        if self.start == self.end and self.end != time(0):
            raise ValidationError(
                "The window is empty: 'end' equals 'start'.",
                suggestion="For a whole day use 00:00 to 00:00.",
                field="end",
            )

    @property
    def length(self) -> timedelta:
        """Wall-clock length of one window (up to 24 hours)."""
        start = datetime.combine(date.min, self.start)
        end = datetime.combine(date.min, self.end)
        if end <= start:
            end += timedelta(days=1)
        return end - start


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    rotation: Rotation
    restrictions: tuple[Restriction, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))


class OverrideKind(StrEnum):
    REPLACE = "replace"
    """``user_id`` is on call instead of ``replaces`` (where ``replaces`` was on call)."""
    ADD = "add"
    """``user_id`` is on call too."""
    REMOVE = "remove"
    """``user_id`` is not on call."""


@dataclass(frozen=True, slots=True)
class Override:
    kind: OverrideKind
    starts_at: datetime
    ends_at: datetime
    user_id: str
    replaces: str | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", OverrideKind(self.kind))
        except ValueError:
            raise ValidationError(
                f"'kind' must be one of replace, add, remove, got {self.kind!r}.", field="kind"
            ) from None
        object.__setattr__(self, "starts_at", require_aware(self.starts_at, field="startsAt"))
        object.__setattr__(self, "ends_at", require_aware(self.ends_at, field="endsAt"))
        if self.ends_at <= self.starts_at:
            raise ValidationError(
                "'endsAt' must be after 'startsAt'.",
                suggestion="Swap the two instants, or lengthen the override.",
                field="endsAt",
            )
        object.__setattr__(
            self, "user_id", require_text(self.user_id, field="userId", max_length=100)
        )
        if self.kind is OverrideKind.REPLACE:
            if self.replaces is None:
                raise ValidationError(
                    "A replace override needs 'replaces': the user who steps out.",
                    field="replaces",
                )
            replaced = require_text(self.replaces, field="replaces", max_length=100)
            if replaced == self.user_id:
                raise ValidationError(
                    "'replaces' and 'userId' are the same user.", field="replaces"
                )
            object.__setattr__(self, "replaces", replaced)
        elif self.replaces is not None:
            raise ValidationError(
                f"'replaces' only applies to replace overrides, not {self.kind.value}.",
                field="replaces",
            )

    def covers(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def apply(self, users: tuple[str, ...]) -> tuple[str, ...]:
        """Who is on call once this override applies to ``users``."""
        if self.kind is OverrideKind.ADD:
            return users if self.user_id in users else (*users, self.user_id)
        if self.kind is OverrideKind.REMOVE:
            return tuple(u for u in users if u != self.user_id)
        if self.replaces not in users:
            return users
        swapped = (self.user_id if u == self.replaces else u for u in users)
        return tuple(dict.fromkeys(swapped))


@dataclass(frozen=True, slots=True)
class Schedule:
    id: str
    name: str
    layers: tuple[Layer, ...]
    """Lowest first: where two layers have someone, the later one wins."""
    overrides: tuple[Override, ...] = ()
    """Applied in order, after the layers."""
    team: str | None = None
    """The owning team's slug: its roles govern the schedule; None: the global roles do."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))
        if not self.layers:
            raise ValidationError("A schedule needs at least one layer.", field="layers")
        if len(self.layers) > MAX_LAYERS:
            raise ValidationError(f"A schedule has at most {MAX_LAYERS} layers.", field="layers")
        if len(self.overrides) > MAX_OVERRIDES:
            raise ValidationError(
                f"A schedule has at most {MAX_OVERRIDES} overrides; delete past ones.",
                field="overrides",
            )

    @property
    def users(self) -> frozenset[str]:
        """Everyone the schedule can put on call."""
        found = {p for layer in self.layers for p in layer.rotation.participants}
        found.update(o.user_id for o in self.overrides)
        return frozenset(found)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "layers": [_layer_document(layer) for layer in self.layers],
            "overrides": [
                {
                    "kind": o.kind.value,
                    "starts_at": o.starts_at,
                    "ends_at": o.ends_at,
                    "user_id": o.user_id,
                    "replaces": o.replaces,
                }
                for o in self.overrides
            ],
            "team": self.team,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Schedule:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            layers=tuple(_layer_from_document(d) for d in doc["layers"]),
            overrides=tuple(
                Override(
                    kind=OverrideKind(o["kind"]),
                    starts_at=o["starts_at"],
                    ends_at=o["ends_at"],
                    user_id=o["user_id"],
                    replaces=o.get("replaces"),
                )
                for o in doc.get("overrides", ())
            ),
            team=doc.get("team"),
        )


@dataclass(frozen=True, slots=True)
class RotationShift:
    """One turn of one participant; ``index`` counts turns from the rotation's start."""

    start: datetime
    end: datetime
    user_id: str
    index: int


@dataclass(frozen=True, slots=True)
class RenderedShift:
    """A stretch of time during which the same people are on call, in order."""

    start: datetime
    end: datetime
    users: tuple[str, ...]

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _layer_document(layer: Layer) -> dict[str, Any]:
    rotation = layer.rotation
    return {
        "name": layer.name,
        "participants": list(rotation.participants),
        "shift_count": rotation.shift_length.count,
        "shift_unit": rotation.shift_length.unit.value,
        "starts_on": rotation.starts_on.isoformat(),
        "handoff": rotation.handoff.isoformat(),
        "time_zone": rotation.time_zone,
        "restrictions": [
            {
                "weekdays": sorted(int(d) for d in r.weekdays),
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
            }
            for r in layer.restrictions
        ],
    }


def _layer_from_document(doc: Document) -> Layer:
    return Layer(
        name=doc["name"],
        rotation=Rotation(
            participants=tuple(doc["participants"]),
            shift_length=ShiftLength(int(doc["shift_count"]), ShiftUnit(doc["shift_unit"])),
            starts_on=date.fromisoformat(doc["starts_on"]),
            handoff=time.fromisoformat(doc["handoff"]),
            time_zone=doc["time_zone"],
        ),
        restrictions=tuple(
            Restriction(
                weekdays=frozenset(Weekday(d) for d in r["weekdays"]),
                start=time.fromisoformat(r["start"]),
                end=time.fromisoformat(r["end"]),
            )
            for r in doc.get("restrictions", ())
        ),
    )
