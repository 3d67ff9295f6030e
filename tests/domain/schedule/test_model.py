from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from domain.errors import ValidationError
from domain.schedule.model import (
    Override,
    OverrideKind,
    Restriction,
    Schedule,
    ShiftLength,
    ShiftUnit,
    Weekday,
)
from domain.schedule.render import render
from tests.domain.schedule.builders import layer, rotation, schedule, utc, window


def _override(**changes: Any) -> Override:
    fields: dict[str, Any] = {
        "kind": OverrideKind.ADD,
        "starts_at": utc(2026, 1, 1),
        "ends_at": utc(2026, 1, 2),
        "user_id": "cy",
    }
    fields.update(changes)
    return Override(**fields)


BAD_INPUT: list[tuple[str, Callable[[], object], str]] = [
    ("empty participants", lambda: rotation(participants=()), "participants"),
    ("blank participant", lambda: rotation(participants=("ann", " ")), "participants[1]"),
    ("zero shift length", lambda: ShiftLength(0), "shiftLength.count"),
    ("negative shift length", lambda: ShiftLength(-3, ShiftUnit.HOURS), "shiftLength.count"),
    ("fractional shift length", lambda: ShiftLength(1.5), "shiftLength.count"),  # type: ignore[arg-type]
    ("unknown unit", lambda: ShiftLength(1, "fortnights"), "shiftLength.unit"),  # type: ignore[arg-type]
    ("too long a shift", lambda: ShiftLength.weeks(53), "shiftLength.count"),
    (
        "start with a time",
        lambda: rotation(starts_on=datetime(2026, 1, 1, 9)),
        "startsOn",
    ),
    ("unknown zone", lambda: rotation(time_zone="Mars/Olympus_Mons"), "timeZone"),
    ("malformed zone", lambda: rotation(time_zone="../etc/passwd"), "timeZone"),
    (
        "aware handoff",
        lambda: rotation(handoff=time(9, tzinfo=timezone.utc)),  # noqa: UP017
        "handoff",
    ),
    ("no weekdays", lambda: window([], time(9), time(17)), "weekdays"),
    ("empty window", lambda: window([Weekday.MONDAY], time(9), time(9)), "end"),
    (
        "bad weekday",
        lambda: Restriction(weekdays=frozenset({7}), start=time(9), end=time(17)),  # type: ignore[arg-type]
        "weekdays",
    ),
    (
        "reversed override",
        lambda: _override(starts_at=utc(2026, 1, 2), ends_at=utc(2026, 1, 1)),
        "endsAt",
    ),
    ("zero-length override", lambda: _override(ends_at=utc(2026, 1, 1)), "endsAt"),
    ("naive override", lambda: _override(starts_at=datetime(2026, 1, 1)), "startsAt"),
    ("replace without whom", lambda: _override(kind=OverrideKind.REPLACE), "replaces"),
    ("replace by oneself", lambda: _override(kind="replace", replaces="cy"), "replaces"),
    ("add with replaces", lambda: _override(replaces="ann"), "replaces"),
    ("unknown override kind", lambda: _override(kind="swap"), "kind"),
    ("no layers", lambda: Schedule(id="s", name="S", layers=()), "layers"),
    ("blank name", lambda: Schedule(id="s", name=" ", layers=(layer(rotation()),)), "name"),
    (
        "reversed render range",
        lambda: render(schedule(layer(rotation())), utc(2026, 1, 2), utc(2026, 1, 1)),
        "until",
    ),
    (
        "naive render range",
        lambda: render(schedule(layer(rotation())), datetime(2026, 1, 1), utc(2026, 1, 2)),
        "since",
    ),
]


@pytest.mark.parametrize(
    ("build", "field"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_names_the_field(build: Callable[[], object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        build()
    assert raised.value.field == field
    assert raised.value.message


def test_whole_day_window_is_00_to_00() -> None:
    assert window([Weekday.SUNDAY], time(0), time(0)).length == timedelta(days=1)
    assert window([Weekday.SUNDAY], time(22), time(6)).length == timedelta(hours=8)
    assert window([Weekday.SUNDAY], time(22), time(0)).length == timedelta(hours=2)


def test_override_times_become_utc() -> None:
    cet = timezone(timedelta(hours=1))
    override = _override(starts_at=datetime(2026, 1, 1, 10, tzinfo=cet))
    assert override.starts_at == utc(2026, 1, 1, 9)
    assert override.starts_at.utcoffset() == timedelta(0)


def test_document_round_trip() -> None:
    original = schedule(
        layer(rotation(), name="base"),
        layer(
            rotation(("cy",), ShiftLength.weeks(1), date(2026, 1, 5), time(8, 30), "Asia/Tokyo"),
            window([Weekday.SATURDAY, Weekday.SUNDAY], time(0), time(0)),
            window([Weekday.MONDAY], time(18), time(8)),
            name="weekends",
        ),
        overrides=[
            _override(),
            _override(kind=OverrideKind.REPLACE, replaces="ann"),
            _override(kind=OverrideKind.REMOVE, user_id="bob"),
        ],
    )
    assert Schedule.from_document(original.to_document()) == original
    assert original.users == {"ann", "bob", "cy"}
