from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from domain.errors import ValidationError
from domain.oncall.query import upcoming_shifts, who_is_on_call
from domain.schedule.model import Override, OverrideKind, Schedule, Weekday
from tests.domain.schedule.builders import layer, rotation, schedule, utc, window

NOW = utc(2026, 11, 26, 12)  # a Thursday


def test_who_is_on_call_takes_the_highest_layer_then_overrides() -> None:
    base = layer(
        rotation(("ann", "bob"), starts_on=date(2026, 11, 2), handoff=time(0), time_zone="UTC")
    )
    days = layer(
        rotation(("cy",), starts_on=date(2026, 11, 2), time_zone="UTC"),
        window([Weekday.THURSDAY], time(9), time(17)),
    )
    sched = schedule(
        base,
        days,
        overrides=[Override(OverrideKind.REPLACE, NOW, NOW + timedelta(hours=1), "dee", "cy")],
    )
    assert who_is_on_call(sched, NOW - timedelta(hours=4)) == ("ann",)  # before 09:00: base
    assert who_is_on_call(sched, NOW - timedelta(hours=1)) == ("cy",)
    assert who_is_on_call(sched, NOW) == ("dee",)
    assert who_is_on_call(sched, NOW + timedelta(hours=5)) == ("ann",)  # 17:00: window closed
    assert who_is_on_call(sched, utc(2026, 10, 1)) == ()  # before every rotation starts


def test_upcoming_shifts_include_the_one_under_way_from_its_real_start() -> None:
    primary = schedule(
        layer(
            rotation(("ann", "bob"), starts_on=date(2026, 11, 2), handoff=time(9), time_zone="UTC")
        )
    )
    found = upcoming_shifts([primary], "ann", NOW, horizon=timedelta(days=5))
    # Thursday 26 November is turn 24 (ann), then every other day.
    assert [(e.shift.start, e.shift.end) for e in found] == [
        (utc(2026, 11, 26, 9), utc(2026, 11, 27, 9)),
        (utc(2026, 11, 28, 9), utc(2026, 11, 29, 9)),
        (utc(2026, 11, 30, 9), utc(2026, 12, 1, 9)),
    ]
    assert {e.schedule_id for e in found} == {"s1"}


def test_upcoming_shifts_across_schedules_are_sorted() -> None:
    first = schedule(layer(rotation(("ann",), starts_on=date(2026, 11, 27), time_zone="UTC")))
    second = Schedule(
        id="s2",
        name="Database",
        layers=(layer(rotation(("bob",), time_zone="UTC")),),
        overrides=(
            Override(OverrideKind.ADD, NOW + timedelta(hours=2), NOW + timedelta(hours=3), "ann"),
        ),
    )
    found = upcoming_shifts([first, second], "ann", NOW)
    assert [(e.schedule_name, e.shift.start) for e in found] == [
        ("Database", NOW + timedelta(hours=2)),
        ("Primary", utc(2026, 11, 27, 9)),
    ]
    assert found[1].shift.end == NOW + timedelta(days=28)  # the horizon clips it
    assert upcoming_shifts([first, second], "zed", NOW) == []


def test_upcoming_shifts_reject_a_silly_horizon() -> None:
    sched = schedule(layer(rotation()))
    with pytest.raises(ValidationError) as raised:
        upcoming_shifts([sched], "ann", NOW, horizon=timedelta(days=400))
    assert raised.value.field == "horizon"
