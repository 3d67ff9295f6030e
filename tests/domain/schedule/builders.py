"""Short constructors for schedule tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from domain.schedule.model import (
    Layer,
    Override,
    Restriction,
    Rotation,
    Schedule,
    ShiftLength,
    Weekday,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def rotation(
    participants: Sequence[str] = ("ann", "bob"),
    length: ShiftLength | None = None,
    starts_on: date = date(2026, 3, 23),
    handoff: time = time(9),
    time_zone: str = "Europe/Berlin",
) -> Rotation:
    return Rotation(
        participants=tuple(participants),
        shift_length=length or ShiftLength.days(1),
        starts_on=starts_on,
        handoff=handoff,
        time_zone=time_zone,
    )


def layer(rot: Rotation, *restrictions: Restriction, name: str = "layer") -> Layer:
    return Layer(name=name, rotation=rot, restrictions=restrictions)


def schedule(*layers: Layer, overrides: Sequence[Override] = ()) -> Schedule:
    return Schedule(id="s1", name="Primary", layers=layers, overrides=tuple(overrides))


def window(days: Sequence[Weekday], start: time, end: time) -> Restriction:
    return Restriction(weekdays=frozenset(days), start=start, end=end)
